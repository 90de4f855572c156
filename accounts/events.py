"""The audit verbs this app records (the stored text; never build one from parts)."""

from commissioning import audit

USER_CREATED = "user.created"
ROLE_GRANTED = "role.granted"
ROLE_ENDED = "role.ended"
SECOND_FACTOR_ENROLLED = "second_factor.enrolled"
SECOND_FACTOR_REMOVED = "second_factor.removed"
RECOVERY_CODES_REGENERATED = "second_factor.recovery_codes_regenerated"
RECOVERY_CODE_USED = "second_factor.recovery_code_used"
SECOND_FACTOR_CODE_FAILED = "second_factor.code_failed"
SECOND_FACTOR_LOCKED_OUT = "second_factor.locked_out"

# Two-step sign-in (issue 19); the older verbs above are labelled in commissioning.models.
audit.label_verbs(
    {
        SECOND_FACTOR_ENROLLED: "Two-step sign-in set up",
        SECOND_FACTOR_REMOVED: "Two-step sign-in turned off",
        RECOVERY_CODES_REGENERATED: "New recovery codes made",
        RECOVERY_CODE_USED: "Signed in with a recovery code",
        SECOND_FACTOR_CODE_FAILED: "Wrong sign-in code entered",
        SECOND_FACTOR_LOCKED_OUT: "Signing in paused after wrong codes",
    }
)

# Personal API tokens (issue 19).
API_TOKEN_CREATED = "api_token.created"  # noqa: S105 (an audit verb)
API_TOKEN_REVOKED = "api_token.revoked"  # noqa: S105 (an audit verb)
API_TOKEN_REVOKED_BY_ADMIN = "api_token.revoked_by_admin"  # noqa: S105 (an audit verb)
API_TOKEN_FIRST_USED = "api_token.first_used"  # noqa: S105 (an audit verb)

audit.label_verbs(
    {
        API_TOKEN_CREATED: "API token created",
        API_TOKEN_REVOKED: "API token revoked by its owner",
        API_TOKEN_REVOKED_BY_ADMIN: "API token revoked by a national admin",
        API_TOKEN_FIRST_USED: "API token first used",
    }
)

# Single sign-on (issue 19).
SSO_LINKED = "sso.linked"
SIGNIN_SSO = "signin.sso"

audit.label_verbs(
    {
        SSO_LINKED: "Single sign-on account linked",
        SIGNIN_SSO: "Signed in with single sign-on",
    }
)

# Sign-ins and sessions (issue 19): each also leaves a SignIn row.
SIGNIN_SUCCEEDED = "signin.succeeded"
SIGNIN_FAILED = "signin.failed"
SIGNIN_LOCKED_OUT = "signin.locked_out"
SIGNIN_SIGNED_OUT = "signin.signed_out"
SIGNIN_SESSION_EXPIRED = "signin.session_expired"

audit.label_verbs(
    {
        SIGNIN_SUCCEEDED: "Signed in",
        SIGNIN_FAILED: "Sign-in failed",
        SIGNIN_LOCKED_OUT: "Sign-in locked after too many attempts",
        SIGNIN_SIGNED_OUT: "Signed out",
        SIGNIN_SESSION_EXPIRED: "Signed out after inactivity (session expired)",
    }
)
