"""People and the roles they hold, each scoped to one organisation."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords


def email_key(email: str | None) -> str:
    """An email address as this product compares and stores it: trimmed and lower-cased, so
    `Yorkshire.Hub@example.nhs.uk` and `yorkshire.hub@example.nhs.uk` are one person (issue 14)."""
    return (email or "").strip().lower()


def lockout_username(request, credentials) -> str:
    """django-axes' key for a sign-in attempt (AXES_USERNAME_CALLABLE): the address as stored,
    so changing its case does not escape the lockout."""
    data = credentials or getattr(request, "POST", {}) or {}
    return email_key(data.get("username"))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        """Sign-in and password reset find a person by email address in any case."""
        return self.get(email__iexact=email_key(username))

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email_key(email), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    # Kept for Django's own machinery; admin access is decided by role (see permissions.py).
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            # One person per address whatever its case (issue 14); emails are also stored
            # lower-cased (save() below), and migration 0003 lower-cased the existing ones.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_any_case",
                violation_error_message="A person with this email address already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = email_key(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = email_key(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", "National admin"
    REGIONAL_TEAM = "regional_team", "Regional team"
    HUB_STAFF = "hub_staff", "Hub staff"
    CCG_LEAD = "ccg_lead", "CCG lead"
    # A member of NHS England's Commissioning Committee, which signs off CCGs' delegated
    # primary care co-commissioning (seed 002, "Model 3: Delegated arrangements"). National.
    COMMISSIONING_COMMITTEE = "commissioning_committee", "Commissioning Committee member"
    # The lead of an STP or integrated care system (seed 003: "STP/ICS lead"), who sits on
    # its specialised commissioning strategy board and reads its arrangements (issue 16).
    ICS_LEAD = "ics_lead", "ICS lead"


# The roles as forms and filters offer them: a `ccg_lead` leads a CCG or, from 1 July 2022, an
# ICB (issue 13). The stored value and `Role.choices` are unchanged.
ROLE_CHOICES_SHOWN = [
    (value, "CCG or ICB lead" if value == Role.CCG_LEAD else label) for value, label in Role.choices
]


# Which organisation each role is scoped to; the constraint below enforces it.
ROLE_SCOPE = {
    Role.NATIONAL_ADMIN: None,
    Role.COMMISSIONING_COMMITTEE: None,
    Role.REGIONAL_TEAM: "region",
    Role.HUB_STAFF: "hub",
    Role.CCG_LEAD: "ccg",
    Role.ICS_LEAD: "system",
}


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def with_scope(self):
        return self.select_related("region", "hub__region", "ccg__hub__region", "system__hub")


class RoleAssignment(models.Model):
    """A role held by a user for one organisation. Ended, never deleted."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        "hubs.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hub = models.ForeignKey(
        "hubs.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ccg = models.ForeignKey(
        "hubs.CCG", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system = models.ForeignKey(
        "hubs.IntegratedCareSystem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RoleAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "granted_at"]
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    Q(
                        role__in=[Role.NATIONAL_ADMIN, Role.COMMISSIONING_COMMITTEE],
                        region__isnull=True,
                        hub__isnull=True,
                        ccg__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        role=Role.REGIONAL_TEAM,
                        region__isnull=False,
                        hub__isnull=True,
                        ccg__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        role=Role.HUB_STAFF,
                        region__isnull=True,
                        hub__isnull=False,
                        ccg__isnull=True,
                        system__isnull=True,
                    )
                    | Q(
                        role=Role.CCG_LEAD,
                        region__isnull=True,
                        hub__isnull=True,
                        ccg__isnull=False,
                        system__isnull=True,
                    )
                    | Q(
                        role=Role.ICS_LEAD,
                        region__isnull=True,
                        hub__isnull=True,
                        ccg__isnull=True,
                        system__isnull=False,
                    )
                ),
            ),
            # One active assignment per user, role and organisation. NULLs are distinct in
            # a unique index, so the organisation columns are spelt out per role.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(
                    ended_at__isnull=True, role__in=["national_admin", "commissioning_committee"]
                ),
                name="role_assignment_one_active_national",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(ended_at__isnull=True, region__isnull=False),
                name="role_assignment_one_active_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "hub"],
                condition=Q(ended_at__isnull=True, hub__isnull=False),
                name="role_assignment_one_active_hub",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "ccg"],
                condition=Q(ended_at__isnull=True, ccg__isnull=False),
                name="role_assignment_one_active_ccg",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "system"],
                condition=Q(ended_at__isnull=True, system__isnull=False),
                name="role_assignment_one_active_system",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.label}"

    @property
    def organisation(self):
        """The region, hub, CCG or system the role is for; None for a national role (England)."""
        return self.region or self.hub or self.ccg or self.system

    @property
    def role_label(self) -> str:
        """The role's name as pages say it: "ICB lead" when a CCG lead's organisation is an
        ICB (issue 13), otherwise the role's display name. The stored role stays `ccg_lead`."""
        if self.role == Role.CCG_LEAD and self.ccg is not None and self.ccg.is_icb:
            return "ICB lead"
        return self.get_role_display()

    @property
    def label(self) -> str:
        org = self.organisation
        return f"{self.role_label}, {org.name if org else 'England'}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ApiTokenQuerySet(models.QuerySet):
    def unrevoked(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token a person creates and revokes themselves (issue 19). The secret is
    shown once, when created; only its SHA-256 is kept. Revoked, never deleted."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=8, unique=True, help_text="The token's first characters after cc_, shown."
    )
    key_hash = models.CharField(max_length=64, help_text="SHA-256 of the secret, in hex.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="The last day it works (Europe/London); empty: never."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # A name picks one token out among those that still may work: unrevoked ones.
            models.UniqueConstraint(
                "user",
                Lower("name"),
                condition=Q(revoked_at__isnull=True),
                name="api_token_unique_name_per_user",
                violation_error_message="You already have a token with this name.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (cc_{self.prefix}…)"

    @property
    def shown_prefix(self) -> str:
        return f"cc_{self.prefix}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and timezone.localdate() > self.expires_on

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def status(self) -> str:
        """Revoked, expired or active, in that order of precedence."""
        if self.is_revoked:
            return "revoked"
        return "expired" if self.is_expired else "active"

    @property
    def status_label(self) -> str:
        return self.status.capitalize()


class ExternalIdentity(models.Model):
    """A person's account at a single sign-on provider (issue 19): the provider's key in
    settings.OIDC_PROVIDERS and its subject (`sub`, stable for the person at that provider),
    linked at their first SSO sign-in to the User with the same email address."""

    provider = models.CharField(max_length=50)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="external_identities")
    email = models.EmailField(help_text="The address the provider gave when the link was made.")
    linked_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider", "linked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_identity_one_per_subject"
            ),
            # A person has at most one account at each provider.
            models.UniqueConstraint(
                fields=["provider", "user"], name="external_identity_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class SignIn(models.Model):
    """One sign-in, failed attempt, lock-out or end of a session (issue 19): what people see
    on "Your account" and national admins on a person's page. Never holds a password or
    anything typed into the password box; `email_key` is the address tried, as stored."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Signed in"
        FAILURE = "failure", "Wrong email address or password"
        LOCKED_OUT = "locked_out", "Locked out after too many attempts"
        SESSION_EXPIRED = "session_expired", "Signed out after inactivity"
        SIGNED_OUT = "signed_out", "Signed out"

    class Method(models.TextChoices):
        PASSWORD = "password", "Password"
        SSO = "sso", "Single sign-on"

    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="sign_ins"
    )
    email_key = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.PASSWORD)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "-at"], name="signin_user_at"),
            models.Index(fields=["email_key", "-at"], name="signin_email_at"),
            models.Index(fields=["outcome", "-at"], name="signin_outcome_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.email_key or self.user_id}"

    @property
    def is_problem(self) -> bool:
        """A failure or lock-out: a security signal on the pages that list sign-ins."""
        return self.outcome in (self.Outcome.FAILURE, self.Outcome.LOCKED_OUT)

    @property
    def browser(self) -> str:
        """ "Chrome on Windows", from the user agent; "Unknown browser" when it says nothing."""
        return browser_summary(self.user_agent)


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def browser_summary(user_agent: str) -> str:
    """A browser and system in words, enough for a person to recognise their own sign-in."""
    text = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in text), "")
    if not browser and "Safari/" in text:
        browser = "Safari"
    system = next((name for token, name in _SYSTEMS if token in text), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or ("Other browser" if text else "Unknown browser")
