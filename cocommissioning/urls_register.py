"""The arrangements table and CSV, application windows, registers of interests
(views_register.py)."""

from django.urls import path

from . import views_register as views

urlpatterns = [
    path("", views.arrangements, name="arrangements"),
    path("windows/", views.windows, name="windows"),
    path("ccgs/<str:ods_code>/", views.ccg_page, name="ccg"),
    path("ccgs/<str:ods_code>/interests/", views.interests, name="interests"),
    path("ccgs/<str:ods_code>/interests/add/", views.interest_add, name="interest-add"),
    path("interests/<int:pk>/", views.interest_edit, name="interest-edit"),
]
