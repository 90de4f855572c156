from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import otp_views, session_views, sso_views, token_views, views
from .forms import LoginForm, NewPasswordForm, ResetForm

app_name = "accounts"

urlpatterns = [
    path(
        "accounts/login/",
        sso_views.SignInView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", sso_views.SignOutView.as_view(), name="logout"),
    # Single sign-on (issue 19): 404 for a provider not configured (so all of them, by default).
    path("accounts/sso/<slug:provider>/start/", sso_views.sso_start, name="sso-start"),
    path("accounts/sso/<slug:provider>/callback/", sso_views.sso_callback, name="sso-callback"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=ResetForm,
            email_template_name="emails/password-reset-body.txt",
            html_email_template_name="emails/password-reset-body.html",
            subject_template_name="emails/password-reset-subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("account/two-step/", otp_views.two_step, name="two-step"),
    path("account/two-step/set-up/", otp_views.two_step_setup, name="two-step-setup"),
    path("account/two-step/code/", otp_views.two_step_verify, name="two-step-verify"),
    path("account/two-step/recovery/", otp_views.two_step_recovery, name="two-step-recovery"),
    path("account/two-step/new-codes/", otp_views.two_step_codes, name="two-step-codes"),
    path(
        "account/two-step/recovery-codes/",
        otp_views.two_step_recovery_regenerate,
        name="two-step-regenerate",
    ),
    path("account/two-step/remove/", otp_views.two_step_remove, name="two-step-remove"),
    # Issue 19: one's own account, the idle timeout's pages, every sign-in for national admins.
    path("account/", session_views.account, name="account"),
    path("accounts/session/", session_views.session, name="session"),
    path("accounts/session-ending/", session_views.session_ending, name="session-ending"),
    path("accounts/signed-out/", session_views.signed_out, name="signed-out"),
    path("people/sign-ins/", session_views.sign_in_list, name="sign-ins"),
    path("people/", views.people, name="people"),
    path("people/grant/", views.role_grant, name="role-grant"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/roles/<int:pk>/end/", views.role_end, name="role-end"),
    # Personal API tokens (issue 19).
    path("account/tokens/", token_views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.api_token_revoke, name="api-token-revoke"),
]
