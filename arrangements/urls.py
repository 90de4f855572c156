from django.urls import path

from . import views

app_name = "arrangements"

urlpatterns = [
    path("arrangements/", views.national_view, name="national"),
    path("arrangements/export.csv", views.national_csv, name="national-csv"),
    path("arrangements/export.xlsx", views.national_xlsx, name="national-xlsx"),
    path("register/systems/<int:pk>/arrangements/", views.system_list, name="system"),
    path(
        "register/systems/<int:pk>/arrangements/new/",
        views.arrangement_create,
        name="create",
    ),
    path("arrangements/<int:pk>/", views.arrangement_detail, name="detail"),
    path("arrangements/<int:pk>/edit/", views.arrangement_edit, name="edit"),
    path("arrangements/<int:pk>/status/", views.arrangement_status, name="status"),
    path(
        "arrangements/<int:pk>/contributions/new/",
        views.contribution_create,
        name="contribution-create",
    ),
    path(
        "arrangements/contributions/<int:pk>/edit/",
        views.contribution_edit,
        name="contribution-edit",
    ),
    path("arrangements/<int:pk>/agreement/", views.agreement_upload, name="agreement-upload"),
    path(
        "arrangements/<int:pk>/agreement/<int:number>/",
        views.agreement_download,
        name="agreement-download",
    ),
]
