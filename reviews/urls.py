from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.index, name="index"),
    path("reviews/cycles/new/", views.cycle_create, name="cycle-create"),
    path("reviews/cycles/<int:pk>/", views.cycle_detail, name="cycle-detail"),
    path("reviews/cycles/<int:pk>/hubs/<slug:slug>/", views.readiness, name="readiness"),
    path("reviews/learning/", views.learning, name="learning"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/history/", views.review_history, name="review-history"),
    path("reviews/<int:pk>/invite/", views.review_invite, name="review-invite"),
    path("reviews/<int:pk>/panel/", views.panel, name="panel"),
    path("reviews/<int:pk>/start/", views.review_start, name="review-start"),
    path("reviews/<int:pk>/plan/", views.review_plan, name="review-plan"),
    path("reviews/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("reviews/<int:pk>/consolidate/", views.consolidate, name="consolidate"),
    path("reviews/<int:pk>/findings/new/", views.finding_add, name="finding-add"),
    path(
        "reviews/<int:pk>/recommendations/new/", views.recommendation_add, name="recommendation-add"
    ),
    path("reviews/<int:pk>/issue/", views.report_issue, name="report-issue"),
    path("reviews/<int:pk>/correct/", views.report_correct, name="report-correct"),
    path("reviews/<int:pk>/respond/", views.respond, name="respond"),
    path("reviews/<int:pk>/sign-off/", views.review_sign_off, name="sign-off"),
    path("reviews/<int:pk>/return/", views.review_return, name="return"),
    path("reviews/panel/<int:pk>/respond/", views.place_respond, name="place-respond"),
    path("reviews/panel/<int:pk>/conflict/", views.place_conflict, name="place-conflict"),
    path("reviews/panel/<int:pk>/replace/", views.place_replace, name="place-replace"),
    path("reviews/findings/<int:pk>/", views.finding_edit, name="finding-edit"),
    path(
        "reviews/recommendations/<int:pk>/", views.recommendation_edit, name="recommendation-edit"
    ),
    path(
        "reviews/recommendations/<int:pk>/progress/",
        views.recommendation_progress,
        name="recommendation-progress",
    ),
    path("reviews/reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reviews/reports/<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
]
