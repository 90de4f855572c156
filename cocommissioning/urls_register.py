"""The arrangements table and CSV, application windows, registers of interests (views_register.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
