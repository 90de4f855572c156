from django.urls import path

from . import views, views_committees

app_name = "meetings"

urlpatterns = [
    path("groups/<int:pk>/meetings/", views.meeting_list, name="meeting-list"),
    path("groups/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/history/", views.meeting_history, name="meeting-history"),
    path("meetings/<int:pk>/attendance/", views.attendance_edit, name="attendance-edit"),
    path("meetings/<int:pk>/items/new/", views.item_create, name="item-create"),
    path("meetings/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("meetings/<int:pk>/pack/", views.meeting_pack, name="meeting-pack"),
    path(
        "meetings/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("meetings/items/<int:pk>/", views.item_edit, name="item-edit"),
    path(
        "meetings/items/<int:pk>/declarations/new/",
        views.declaration_create,
        name="declaration-create",
    ),
    path("meetings/actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("meetings/items/<int:pk>/papers/new/", views.paper_create, name="paper-create"),
    path("meetings/papers/<int:pk>/", views.paper_download, name="paper-download"),
    path("recommendations/", views.recommendation_list, name="recommendation-list"),
    path("committees/", views_committees.committee_list, name="committee-list"),
    path("committees/<int:pk>/", views_committees.committee_detail, name="committee-detail"),
    path("committees/<int:pk>/edit/", views_committees.committee_edit, name="committee-edit"),
    path(
        "committees/<int:pk>/meetings/new/",
        views_committees.committee_meeting_create,
        name="committee-meeting-create",
    ),
    path(
        "committees/<int:pk>/members/new/",
        views_committees.committee_member_add,
        name="committee-member-add",
    ),
    path(
        "committees/members/<int:pk>/",
        views_committees.committee_member_edit,
        name="committee-member-edit",
    ),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation-detail"),
]
