from django.urls import path

from . import views

app_name = "hubs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("hubs/<slug:slug>/", views.hub_detail, name="hub-detail"),
    path("ccgs/", views.ccg_list, name="ccg-list"),
    path("ccgs/<str:ods_code>/", views.ccg_detail, name="ccg-detail"),
    path("programmes-of-care/", views.programme_list, name="programme-list"),
]
