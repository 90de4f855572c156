from django.urls import path

from . import views

app_name = "exemplars"

urlpatterns = [
    path("register/systems/<int:pk>/exemplars/", views.exemplar_list, name="list"),
    path("register/systems/<int:pk>/exemplars/new/", views.exemplar_create, name="create"),
    path("exemplars/<int:pk>/", views.exemplar_detail, name="detail"),
    path("exemplars/<int:pk>/edit/", views.exemplar_edit, name="edit"),
    path("exemplars/<int:pk>/scoped/", views.exemplar_scoped, name="scoped"),
    path("exemplars/<int:pk>/close/", views.exemplar_close, name="close"),
    path("exemplars/<int:pk>/services/new/", views.service_create, name="service-create"),
    path("exemplars/services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path(
        "exemplars/<int:pk>/participants/new/",
        views.participant_create,
        name="participant-create",
    ),
    path("exemplars/participants/<int:pk>/edit/", views.participant_edit, name="participant-edit"),
    path("exemplars/<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
    path("exemplars/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("exemplars/<int:pk>/report/new/", views.report_create, name="report-create"),
    path("exemplars/report/<int:pk>/", views.report_download, name="report-download"),
    path(
        "exemplars/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path(
        "exemplars/recommendations/<int:pk>/decision/",
        views.decision_create,
        name="decision-create",
    ),
]
