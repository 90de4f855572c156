from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("register/systems/", views.system_list, name="system-list"),
    path("register/systems/new/", views.system_create, name="system-create"),
    path("register/systems/<int:pk>/", views.system_detail, name="system-detail"),
    path("register/systems/<int:pk>/edit/", views.system_edit, name="system-edit"),
    path("register/systems/<int:pk>/places/new/", views.place_create, name="place-create"),
    path("register/systems/<int:pk>/members/new/", views.member_create, name="member-create"),
    path("register/systems/members/<int:pk>/end/", views.member_end, name="member-end"),
]
