from collections.abc import Callable

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and docker-compose: 200 once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def floor(request: HttpRequest) -> HttpResponse:
    """The load benchmark's floor: the base template for a signed-in person, and nothing else
    (no context processors, so no queries beyond the session and the user). Every page's
    latency is read against this one's."""
    from django.template.loader import get_template

    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return HttpResponse(get_template("base.html").render({"user": request.user}))


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: JSON under /api/ (clients parse it), the service's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for a request Django itself refuses (a malformed multipart body, too many fields):
    JSON under /api/, as every other API answer, and Django's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "The request could not be read."}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Server error. Nothing was changed."}, status=500)
    return defaults.server_error(request)


def form_page(
    request: HttpRequest,
    form,
    *,
    save: Callable,
    success_url: str,
    message: str,
    title: str,
    **context,
) -> HttpResponse:
    """The one shape of a form page: show the form; on a valid POST call `save(**cleaned_data)`
    (one service); a refusal (RuleError, ConflictError) goes beside its field and nothing is
    saved; success says so and redirects."""
    from .concurrency import ConflictError
    from .errors import RuleError
    from .forms import apply_error

    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except (RuleError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, message)
            return redirect(success_url)
    return render(request, "form_page.html", {"form": form, "title": title, **context})
