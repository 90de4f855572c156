from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import MeView, RoleAssignmentViewSet
from exports.api import ExportViewSet
from hubs.api import CCGViewSet, HubViewSet, ProgrammeOfCareViewSet, RegionViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("hubs", HubViewSet, basename="hub")
router.register("ccgs", CCGViewSet, basename="ccg")
router.register("programmes-of-care", ProgrammeOfCareViewSet, basename="programme-of-care")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("exports", ExportViewSet, basename="export")

app_name = "api"

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("", include(router.urls)),
]
