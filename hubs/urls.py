from django.urls import path

from . import views

app_name = "hubs"

urlpatterns = [
    path("register/", views.overview, name="overview"),
    path("register/regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("register/ccgs/", views.ccg_list, name="ccg-list"),
    path("register/ccgs/<str:ods_code>/", views.ccg_detail, name="ccg-detail"),
    path("register/programmes-of-care/", views.programme_list, name="programme-list"),
]
