from django.urls import path

from . import review_views, views, views_consultations

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
    # Consultations (issue 17, "What to build" 3)
    path(
        "national/consultations/",
        views_consultations.consultation_list,
        name="consultation-list",
    ),
    path(
        "national/crgs/<int:pk>/consultations/new/",
        views_consultations.consultation_create,
        name="consultation-create",
    ),
    path(
        "national/consultations/<int:pk>/",
        views_consultations.consultation_detail,
        name="consultation-detail",
    ),
    path(
        "national/consultations/<int:pk>/responses.csv",
        views_consultations.consultation_csv,
        name="consultation-csv",
    ),
    path(
        "national/consultations/<int:pk>/edit/",
        views_consultations.consultation_edit,
        name="consultation-edit",
    ),
    path(
        "national/consultations/<int:pk>/extend/",
        views_consultations.consultation_extend,
        name="consultation-extend",
    ),
    path(
        "national/consultations/<int:pk>/close/",
        views_consultations.consultation_close,
        name="consultation-close",
    ),
    path(
        "national/consultations/<int:pk>/archive/",
        views_consultations.consultation_archive,
        name="consultation-archive",
    ),
    path(
        "national/consultations/<int:pk>/respond/group/<int:group>/",
        views_consultations.respond,
        name="consultation-respond-group",
    ),
    path(
        "national/consultations/<int:pk>/respond/ccg/<str:ods>/",
        views_consultations.respond,
        name="consultation-respond-ccg",
    ),
    path("national/service-reviews/", review_views.review_list, name="service-reviews"),
    path("national/service-reviews/new/", review_views.review_create, name="service-review-create"),
    path(
        "national/service-reviews/<int:pk>/edit/",
        review_views.review_edit,
        name="service-review-edit",
    ),
]
