"""Applications: drafting, regional review, sign-off (views.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
