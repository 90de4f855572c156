from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("evaluations/plans/<int:pk>/", views.plan_evaluations, name="plan"),
    path("evaluations/priorities/<int:pk>/new/", views.evaluation_create, name="create"),
    path("evaluations/summary/", views.summary, name="summary"),
    path("evaluations/shared/", views.shared_list, name="shared"),
    path("evaluations/shared/<int:pk>/", views.shared_detail, name="shared-detail"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="edit"),
    path("evaluations/<int:pk>/history/", views.evaluation_history, name="history"),
    path("evaluations/<int:pk>/archive/", views.evaluation_archive, name="archive"),
    path("evaluations/<int:pk>/share/library/", views.share_to_library, name="share-library"),
    path("evaluations/<int:pk>/share/ideas/", views.share_to_ideas, name="share-ideas"),
]
