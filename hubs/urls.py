from django.urls import path

from . import group_views, views

app_name = "hubs"

urlpatterns = [
    path("register/", views.overview, name="overview"),
    path("register/regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("register/hubs/<slug:slug>/", views.hub_detail, name="hub-detail"),
    path("register/ccgs/", views.ccg_list, name="ccg-list"),
    path("register/ccgs/<str:ods_code>/", views.ccg_detail, name="ccg-detail"),
    path("register/programmes-of-care/", views.programme_list, name="programme-list"),
    path("groups/", group_views.group_list, name="group-list"),
    path("groups/at-a-glance/", group_views.oversight_glance, name="oversight-glance"),
    path("groups/new/<slug:slug>/", group_views.group_create, name="group-create"),
    path("groups/<int:pk>/", group_views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", group_views.group_edit, name="group-edit"),
    path("groups/<int:pk>/invite/", group_views.group_invite, name="group-invite"),
    path("groups/<int:pk>/members/new/", group_views.member_add, name="member-add"),
    path("groups/<int:pk>/history/", group_views.group_history, name="group-history"),
    path("groups/members/<int:pk>/", group_views.member_edit, name="member-edit"),
    path("groups/<int:pk>/interests/", group_views.interest_register, name="interest-register"),
    path("groups/<int:pk>/interests/new/", group_views.interest_create, name="interest-create"),
    path("groups/interests/<int:pk>/", group_views.interest_edit, name="interest-edit"),
    path("groups/<int:pk>/subgroups/new/", group_views.subgroup_create, name="subgroup-create"),
    path("groups/subgroups/<int:pk>/", group_views.subgroup_edit, name="subgroup-edit"),
    path(
        "groups/places/<int:pk>/respond/",
        group_views.membership_respond,
        name="membership-respond",
    ),
    path(
        "groups/places/<int:pk>/withdraw/",
        group_views.membership_withdraw,
        name="membership-withdraw",
    ),
]
