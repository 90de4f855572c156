import datetime
import logging

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.dates import nhs_date
from commissioning.emails import one_line, render_text
from commissioning.forms import DateInput, NHSBoundField, NHSForm
from hubs.models import CCG, Hub, IntegratedCareSystem, Region

from .models import ROLE_CHOICES_SHOWN

logger = logging.getLogger("django.contrib.auth")


class LoginForm(AuthenticationForm):
    bound_field_class = NHSBoundField
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. The password is case-sensitive."
        ),
        "inactive": "This account is inactive. Ask your national admin to restore it.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}
        )
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetForm(PasswordResetForm):
    bound_field_class = NHSBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@nhs.net"
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Django's reset email, with its plain text and subject not HTML-escaped (issue 14)."""
        message = EmailMultiAlternatives(
            one_line(render_text(subject_template_name, context)),
            render_text(email_template_name, context),
            from_email,
            [to_email],
        )
        if html_email_template_name is not None:
            message.attach_alternative(
                render_to_string(html_email_template_name, context), "text/html"
            )
        try:
            message.send()
        except Exception:  # as Django does: the page never says whether the address exists
            logger.exception("Failed to send password reset email to %s", context["user"].pk)


class NewPasswordForm(SetPasswordForm):
    bound_field_class = NHSBoundField


class RoleGrantForm(NHSForm):
    """Give a person (new or existing, by email) a role for one organisation."""

    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    full_name = forms.CharField(
        label="Full name",
        required=False,
        max_length=150,
        help_text="Needed only for someone new; they are emailed a link to set a password.",
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *ROLE_CHOICES_SHOWN],
        error_messages={"required": "Choose a role"},
    )
    region = forms.ModelChoiceField(
        label="Region (for the regional team role)",
        queryset=Region.objects.all(),
        required=False,
        empty_label="Choose a region",
    )
    hub = forms.ModelChoiceField(
        label="Hub (for the hub staff role)",
        queryset=Hub.objects.select_related("region").order_by("name"),
        required=False,
        empty_label="Choose a hub",
    )
    ccg = forms.ModelChoiceField(
        label="CCG or ICB (for the CCG or ICB lead role)",
        queryset=CCG.objects.order_by("name"),
        required=False,
        empty_label="Choose a CCG or ICB",
        to_field_name="ods_code",
    )
    system = forms.ModelChoiceField(
        label="Integrated care system (for the ICS lead role)",
        queryset=IntegratedCareSystem.objects.order_by("name"),
        required=False,
        empty_label="Choose a system",
    )


class AuthenticatorCodeForm(NHSForm):
    """The 6-digit code an authenticator app shows (two-step sign-in, issue 19)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your authenticator app shows now, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class RecoveryCodeForm(NHSForm):
    """One of the person's recovery codes, instead of a code from the app (issue 19)."""

    code = forms.CharField(
        label="Recovery code",
        help_text="8 letters and numbers, for example abcd 2345. Each code works once.",
        max_length=40,
        error_messages={"required": "Enter one of your recovery codes"},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
    )


class ApiTokenForm(NHSForm):
    """Name a new personal API token and, if it should, the last day it works (issue 19). The
    service checks the name is free and the date in range; its refusals go beside the field."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What it is for, so you know it again: for example, Monthly report script.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    expires_on = forms.DateField(
        label="Expiry date (optional)",
        required=False,
        widget=DateInput(),
        help_text="The last day it works. Leave empty for a token that works until you revoke it.",
    )

    def __init__(self, *args, latest_expiry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if latest_expiry is not None:
            # An example a person might choose: 90 days from today, within the limit.
            example = min(timezone.localdate() + datetime.timedelta(days=90), latest_expiry)
            self.fields["expires_on"].help_text = (
                f"The last day it works, no later than {nhs_date(latest_expiry)}. Leave empty "
                f"for a token that works until you revoke it. For example, {nhs_date(example)}"
            )
