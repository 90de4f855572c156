from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)

from commissioning.forms import NHSBoundField, NHSForm
from hubs.models import CCG, Hub, Region

from .models import ROLE_CHOICES_SHOWN


class LoginForm(AuthenticationForm):
    bound_field_class = NHSBoundField
    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
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
