from django.urls import path

from . import template_views, views

app_name = "governance"

urlpatterns = [
    path("groups/<int:pk>/documents/", views.documents, name="documents"),
    path("groups/<int:pk>/documents/<str:kind>/new/", views.draft_create, name="draft-create"),
    path("documents/<int:pk>/", views.version_detail, name="version-detail"),
    path("documents/<int:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("documents/<int:pk>/agree/", views.version_agree, name="version-agree"),
    path("documents/<int:pk>/download/", views.version_download, name="version-download"),
]

# National templates (seed 000 §3.4.2).
urlpatterns += [
    path("national-templates/", template_views.template_list, name="template-list"),
    path("national-templates/<str:kind>/new/", template_views.template_new, name="template-new"),
    path(
        "national-templates/versions/<int:pk>/",
        template_views.template_version,
        name="template-version",
    ),
    path(
        "national-templates/versions/<int:pk>/edit/",
        template_views.template_edit,
        name="template-edit",
    ),
    path(
        "national-templates/versions/<int:pk>/publish/",
        template_views.template_publish,
        name="template-publish",
    ),
    path(
        "national-templates/versions/<int:pk>/archive/",
        template_views.template_archive,
        name="template-archive",
    ),
]
