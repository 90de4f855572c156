from django.urls import path

from . import all_services, views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("services/", all_services.all_services, name="services"),
    path("register/hubs/<slug:slug>/", views.hub_detail, name="hub-detail"),
    path("groups/at-a-glance/", views.oversight_glance, name="oversight-glance"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/history/", views.group_history, name="group-history"),
]
