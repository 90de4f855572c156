"""Co-commissioning's pages, under /co-commissioning/: applications and their review
(urls_applications.py) and the arrangements table, windows and registers of interests
(urls_register.py)."""

from .urls_applications import urlpatterns as application_urls
from .urls_register import urlpatterns as register_urls

app_name = "cocommissioning"

urlpatterns = [*application_urls, *register_urls]
