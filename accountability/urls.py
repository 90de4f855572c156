from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("groups/<int:pk>/raci/", views.raci_page, name="raci"),
    path("groups/<int:pk>/raci.csv", views.raci_csv, name="raci-csv"),
    path("groups/<int:pk>/raci/default/", views.raci_seed, name="raci-seed"),
    path("groups/<int:pk>/raci/activities/new/", views.activity_add, name="activity-add"),
    path("groups/<int:pk>/raci/parties/new/", views.party_add, name="party-add"),
    path("groups/<int:pk>/raci/<str:kind>/<int:row>/archive/", views.archive, name="archive"),
]
