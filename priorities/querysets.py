"""Chainable reads for priorities plans."""

from django.db import models


class CriterionQuerySet(models.QuerySet):
    def active(self):
        """The criteria proposals are scored and ranked against (archived ones left out)."""
        return self.filter(archived=False)
