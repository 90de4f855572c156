from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .views import floor, healthz

handler400 = "commissioning.views.bad_request"
handler404 = "commissioning.views.page_not_found"
handler500 = "commissioning.views.server_error"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("workspace.urls")),
    path("", include("hubs.urls")),
    path("", include("oversight.urls")),
    path("exports/", include("exports.urls")),
    path("", include("meetings.urls")),
    path("", include("places.urls")),
    path("", include("exemplars.urls")),
    path("", include("arrangements.urls")),
    path("", include("national.urls")),
    path("", include("governance.urls")),
    path("", include("accountability.urls")),
    path("", include("priorities.urls")),
    path("", include("reviews.urls")),
    path("", include("ideas.urls")),
    path("", include("evaluations.urls")),
    path("co-commissioning/", include("cocommissioning.urls")),
    path("", include("timeline.urls")),
    path("api/v1/", include("workspace.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
    path("bench/floor/", floor, name="bench-floor"),
]
