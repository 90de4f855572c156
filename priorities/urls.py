from django.urls import path

from . import views

app_name = "priorities"

urlpatterns = [
    path("plans/", views.cross_hub, name="cross-hub"),
    path("plans/joint-programme/", views.joint_programme_now, name="joint-programme-now"),
    path("plans/joint-programme/<int:year>/", views.joint_programme, name="joint-programme"),
    path(
        "plans/joint-programme/way-forward/<int:proposal>/<int:review>/",
        views.way_forward,
        name="way-forward",
    ),
    path("groups/<int:pk>/plans/", views.plan_list, name="plan-list"),
    path("groups/<int:pk>/plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/ranking/", views.ranking_page, name="ranking"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/dashboard/", views.plan_dashboard, name="plan-dashboard"),
    path("proposals/<int:pk>/delivery/", views.priority_delivery, name="priority-delivery"),
    path("plans/<int:pk>/next-year/", views.plan_roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/proposals.csv", views.plan_csv, name="plan-csv"),
    path("plans/<int:pk>/priorities.csv", views.plan_priorities_csv, name="plan-priorities-csv"),
    path("plans/<int:pk>/plan.xlsx", views.plan_xlsx, name="plan-xlsx"),
    path("plans/<int:pk>/assessors/", views.assessor_add, name="assessor-add"),
    path("plans/<int:pk>/assessors/me/", views.assessor_self_add, name="assessor-self-add"),
    path("plans/<int:pk>/criteria/", views.criteria_page, name="criteria"),
    path("plans/criteria/<int:pk>/rename/", views.criterion_rename, name="criterion-rename"),
    path("plans/criteria/<int:pk>/archive/", views.criterion_archive, name="criterion-archive"),
    path("plans/<int:pk>/assure/", views.plan_assure, name="plan-assure"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/<str:step>/", views.plan_move, name="plan-move"),
    path("plans/versions/<int:pk>/", views.plan_version, name="plan-version"),
    path("plans/versions/<int:pk>/pdf/", views.plan_version_pdf, name="plan-version-pdf"),
    path(
        "plans/versions/<int:pk>/pdf/retry/",
        views.plan_version_pdf_retry,
        name="plan-version-pdf-retry",
    ),
    path("plans/<int:pk>/proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/score/", views.proposal_score, name="proposal-score"),
    path("proposals/<int:pk>/<str:step>/", views.proposal_action, name="proposal-action"),
]
