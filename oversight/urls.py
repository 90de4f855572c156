from django.urls import path

from . import views, views_boards

app_name = "oversight"

urlpatterns = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/<slug:slug>/", views.group_create, name="group-create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/invite/", views.group_invite, name="group-invite"),
    path("groups/<int:pk>/board/new/", views_boards.board_create, name="board-create"),
    path("groups/carried/<int:pk>/", views_boards.carried_decide, name="carried-decide"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member-add"),
    path("groups/members/<int:pk>/", views.member_edit, name="member-edit"),
    path("groups/<int:pk>/interests/", views.interest_register, name="interest-register"),
    path("groups/<int:pk>/interests/new/", views.interest_create, name="interest-create"),
    path("groups/interests/<int:pk>/", views.interest_edit, name="interest-edit"),
    path("groups/<int:pk>/subgroups/new/", views.subgroup_create, name="subgroup-create"),
    path("groups/subgroups/<int:pk>/", views.subgroup_edit, name="subgroup-edit"),
    path(
        "groups/places/<int:pk>/respond/",
        views.membership_respond,
        name="membership-respond",
    ),
    path(
        "groups/places/<int:pk>/representation/confirm/",
        views.representation_confirm,
        name="representation-confirm",
    ),
    path(
        "groups/places/<int:pk>/representation/decline/",
        views.representation_decline,
        name="representation-decline",
    ),
    path(
        "groups/places/<int:pk>/withdraw/",
        views.membership_withdraw,
        name="membership-withdraw",
    ),
]
