"""Applications: drafting, regional review, sign-off (views.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/documents/new/", views.document_attach, name="application-attach"),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="application-document",
    ),
    path("applications/<int:pk>/conflicts/", views.conflicts_review, name="application-conflicts"),
    path("applications/<int:pk>/<slug:action>/", views.application_act, name="application-act"),
]
