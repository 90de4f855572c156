from django.urls import path

from . import views

app_name = "national"

urlpatterns = [
    path("national/", views.index, name="index"),
    path("national/boards/<slug:slug>/", views.board, name="board"),
    path("national/boards/<slug:slug>/seats/new/", views.holding_create, name="holding-create"),
    path("national/board-seats/<int:pk>/edit/", views.holding_edit, name="holding-edit"),
    path("national/crgs/new/", views.crg_create, name="crg-create"),
    path("national/crgs/<int:pk>/", views.crg_detail, name="crg-detail"),
    path("national/crgs/<int:pk>/edit/", views.crg_edit, name="crg-edit"),
    path("national/crgs/<int:pk>/seats/new/", views.seat_create, name="seat-create"),
    path("national/crgs/<int:pk>/seats/<slug:region>/nominate/", views.nominate, name="nominate"),
    path("national/crgs/<int:pk>/documents/new/", views.document_create, name="document-create"),
    path(
        "national/documents/<int:pk>/versions/new/",
        views.document_version_create,
        name="document-version-create",
    ),
    path(
        "national/document-versions/<int:pk>/download/",
        views.document_version_download,
        name="document-version-download",
    ),
    path(
        "national/nominations/<int:pk>/accept/",
        views.nomination_accept,
        name="nomination-accept",
    ),
    path(
        "national/nominations/<int:pk>/decline/",
        views.nomination_decline,
        name="nomination-decline",
    ),
    path("national/crg-seats/", views.seats, name="seats"),
]
