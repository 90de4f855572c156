from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("groups/<int:pk>/documents/", views.documents, name="documents"),
    path("groups/<int:pk>/documents/<str:kind>/new/", views.draft_create, name="draft-create"),
    path("documents/<int:pk>/", views.version_detail, name="version-detail"),
    path("documents/<int:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("documents/<int:pk>/agree/", views.version_agree, name="version-agree"),
    path("documents/<int:pk>/download/", views.version_download, name="version-download"),
]
