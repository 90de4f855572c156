"""Personal API tokens (issue 19): made, checked and revoked here, and only here.

A token reads `cc_<prefix>_<secret>`: `prefix` (8 hex characters) finds the row and is shown
on pages; `secret` (43 URL-safe characters, 256 random bits) is shown once, when the token is
made, and only its SHA-256 is stored. A secret that random needs no salt or slow hash: nobody
can guess one, so a leaked table gives nothing to try.
"""

import datetime
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning import audit
from commissioning.dates import nhs_date
from commissioning.errors import RuleError, StateConflict, raise_all

from . import events
from .models import ApiToken, User

TOKEN_PATTERN = re.compile(r"^cc_([0-9a-f]{8})_([A-Za-z0-9_-]{40,64})$")
# last_used_at is written at most once a minute per token, not on every request.
LAST_USED_EVERY = datetime.timedelta(seconds=60)
NAME_MAX = ApiToken._meta.get_field("name").max_length


class TokenError(RuleError):
    """A refused change to a token (bad name or expiry): nothing was saved."""


class TokenAlreadyRevoked(TokenError, StateConflict):
    """Revoked twice: the second is told so (the API answers 409)."""


class TokenRefused(Exception):
    """A presented token that does not let its bearer in; the message says why (a 401)."""


def max_days() -> int:
    """How far ahead an expiry may be set, in days (API_TOKEN_MAX_DAYS; a year by default)."""
    return settings.API_TOKEN_MAX_DAYS


def latest_expiry(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=max_days())


def looks_like_token(raw: str) -> bool:
    """Whether `raw` has the personal token's form (else it may be an admin-made DRF token)."""
    return TOKEN_PATTERN.match(raw) is not None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_name_and_expiry(
    user: User, name: str, expires_on: datetime.date | None
) -> list[TokenError]:
    errors = []
    today = timezone.localdate()
    if not name:
        errors.append(TokenError("Enter a name for the token", field="name"))
    elif len(name) > NAME_MAX:
        errors.append(TokenError(f"Name must be {NAME_MAX} characters or fewer", field="name"))
    elif user.api_tokens.unrevoked().filter(name__iexact=name).exists():
        errors.append(_duplicate(name))
    if expires_on is not None and expires_on < today:
        errors.append(TokenError("Expiry date must be today or in the future", field="expires_on"))
    elif expires_on is not None and expires_on > latest_expiry(today):
        errors.append(
            TokenError(
                f"Expiry date must be no later than {nhs_date(latest_expiry(today))}"
                f" ({max_days()} days from today)",
                field="expires_on",
            )
        )
    return errors


def _duplicate(name: str) -> TokenError:
    return TokenError(
        f'You already have a token called "{name}". Choose another name, or revoke that one first',
        field="name",
    )


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user` (only ever for oneself) and return it with its full text, which
    is never stored and cannot be shown again. Raises TokenError (every refusal at once) for an
    empty, too long or already used name, or an expiry in the past or beyond the maximum."""
    name = (name or "").strip()
    raise_all(_check_name_and_expiry(user, name, expires_on))
    secret = secrets.token_urlsafe(32)
    for _attempt in range(5):  # 4 billion prefixes: a clash is rare, five in a row unheard of
        prefix = secrets.token_hex(4)
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    prefix=prefix,
                    key_hash=_hash(secret),
                    expires_on=expires_on,
                )
        except IntegrityError as clash:
            if not ApiToken.objects.filter(prefix=prefix).exists():
                raise _duplicate(name) from clash  # the same name, made in the same instant
            continue
        break
    else:  # pragma: no cover - needs five prefix clashes in a row
        raise TokenError("Could not make a token just now. Try again.")
    audit.record(
        actor=user,
        verb=events.API_TOKEN_CREATED,
        target=token,
        expires_on=expires_on.isoformat() if expires_on else None,
    )
    return token, f"cc_{prefix}_{secret}"


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token at once (its owner, or a national admin: the caller's access helper has
    decided). The row stays, with who revoked it and when. Raises TokenAlreadyRevoked."""
    now = timezone.now()
    # Conditional update: of two revocations at once, exactly one succeeds.
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    if not updated:
        token.refresh_from_db(fields=["revoked_at", "revoked_by"])
        raise TokenAlreadyRevoked("This token had already been revoked.")
    token.revoked_at, token.revoked_by = now, by
    verb = events.API_TOKEN_REVOKED if by.pk == token.user_id else events.API_TOKEN_REVOKED_BY_ADMIN
    audit.record(actor=by, verb=verb, target=token, owner=token.user_id)
    return token


def token_authenticate(raw: str) -> ApiToken:
    """The live token `raw` names, with its user loaded, its use recorded (at most once a
    minute). Raises TokenRefused: unknown and wrong secrets alike ("Invalid token."), then,
    for the holder of the right secret only, revoked or expired, or an inactive person."""
    found = TOKEN_PATTERN.match(raw)
    if found is None:
        raise TokenRefused("Invalid token.")
    prefix, secret = found.groups()
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(secret)):
        raise TokenRefused("Invalid token.")
    if token.is_revoked:
        raise TokenRefused("This token has been revoked.")
    if token.is_expired:
        raise TokenRefused(f"This token expired at the end of {nhs_date(token.expires_on)}.")
    if not token.user.is_active:
        raise TokenRefused("User inactive or deleted.")
    token_touch(token=token)
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was used now, unless that was recorded within the last minute (so
    busy scripts do not write on every request). The first use is an audit event."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    first = token.last_used_at is None
    stale = ApiToken.objects.filter(pk=token.pk)
    stale = (
        stale.filter(last_used_at__isnull=True)
        if first
        else stale.filter(last_used_at__lte=now - LAST_USED_EVERY)
    )
    # Conditional: of many requests in the same instant, one writes.
    if stale.update(last_used_at=now) and first:
        audit.record(actor=token.user, verb=events.API_TOKEN_FIRST_USED, target=token)
    token.last_used_at = now
