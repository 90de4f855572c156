from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("hub-footprint/", views.hub_footprint_export, name="hub-footprint"),
    path("<int:pk>/", views.export_detail, name="export-detail"),
    path("<int:pk>/download/", views.export_download, name="export-download"),
]
