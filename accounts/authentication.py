"""The API's token authentication (issue 19): personal tokens, and the admin-made ones.

`Authorization: Bearer cc_<prefix>_<secret>` or `Token cc_<prefix>_<secret>` is a personal
token (accounts/tokens.py). A `Token <key>` that is not in that form is left to DRF's
TokenAuthentication, listed next, so the tokens made in the admin keep working; a Bearer header
with such a key is checked as one of them here.

First in DEFAULT_AUTHENTICATION_CLASSES, so its `authenticate_header` is the challenge a
request without credentials gets with its 401.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)

from .tokens import TokenRefused, looks_like_token, token_authenticate

KEYWORDS = (b"bearer", b"token")


class PersonalTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        bearer = header[0].lower() == b"bearer"
        if len(header) != 2:
            if not bearer:
                return None  # TokenAuthentication says what is wrong with it
            raise exceptions.AuthenticationFailed(
                "Invalid Bearer header: give the token after one space."
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            if not bearer:
                return None
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not looks_like_token(raw):
            if bearer:  # an admin-made token presented as a bearer token
                return TokenAuthentication().authenticate_credentials(raw)
            return None
        try:
            token = token_authenticate(raw)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from refused
        return token.user, token

    def authenticate_header(self, request) -> str:
        # "Token", as before issue 19: the clients that read the challenge know that word, and
        # this class takes a personal token under it as well as under "Bearer".
        return "Token"


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """How /api/schema/ documents it: an HTTP bearer scheme."""

    target_class = "accounts.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "cc_<prefix>_<secret>",
            "description": (
                "A personal API token, made and revoked by its owner at /account/tokens/ "
                "(or `POST /api/v1/me/tokens/` when signed in). Send "
                "`Authorization: Bearer cc_<prefix>_<secret>`; `Token cc_...` works too."
            ),
        }
