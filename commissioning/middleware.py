"""Refuse text with NUL characters before it reaches the database.

PostgreSQL cannot store U+0000 in text, and a lookup with one (a slug, a filter) fails there
with a server error. No field of this service has a use for it, so a request that carries one
in its query string, a JSON body or a urlencoded form is answered 400 and changes nothing.
In a multipart form only the text fields are looked at: an uploaded PDF is full of NUL bytes.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

MESSAGE = "Text may not contain NUL (U+0000) characters. Nothing was changed."


def _carries_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if "%00" in query or "\x00" in query or "\x00" in request.path:
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        return b"\\u0000" in request.body or b"\x00" in request.body
    if content_type.startswith("application/x-www-form-urlencoded"):
        return b"%00" in request.body or b"\x00" in request.body
    if content_type.startswith("multipart/form-data"):
        # The text fields only (Django keeps the parsed form, and DRF reads it from there).
        return any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.POST.lists()
        )
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)
