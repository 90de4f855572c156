"""Reads for the exemplar pages and API, each in a fixed number of queries whatever the data."""

from django.db.models import Count, Prefetch, Q, QuerySet

from commissioning.audit import events_for_many
from hubs.models import CCG, IntegratedCareSystem, ProgrammeOfCare
from hubs.selectors import ccgs_of_system
from oversight.models import OversightGroup

from .models import Exemplar, Milestone, Participant, PathwayService, Recommendation, ReportVersion
from .permissions import exemplars_visible_to


def exemplars_of(system: IntegratedCareSystem) -> QuerySet[Exemplar]:
    """A system's projects, newest first, with what the list shows counted."""
    return (
        Exemplar.objects.filter(system=system)
        .select_related("board")
        .annotate(
            service_count=Count("services", filter=Q(services__removed=False), distinct=True),
            milestone_count=Count("milestones", distinct=True),
            report_count=Count("report_versions", distinct=True),
        )
    )


def _parts() -> list:
    return [
        Prefetch(
            "services",
            queryset=PathwayService.objects.select_related("programme").order_by(
                "removed", "-specialised", "name"
            ),
        ),
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("commissioner").order_by(
                "joined_on", "name"
            ),
        ),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
        Prefetch(
            "report_versions",
            queryset=ReportVersion.objects.select_related("uploaded_by").order_by("-number"),
        ),
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("made_on", "pk")),
    ]


def exemplar_page(exemplar: Exemplar) -> dict:
    """Everything the project's page shows: its parts, split as the page reads them, and the
    history of every change to it and its parts, newest first."""
    full = (
        Exemplar.objects.select_related("system__hub__region", "board")
        .prefetch_related(*_parts())
        .get(pk=exemplar.pk)
    )
    services = list(full.services.all())
    participants = list(full.participants.all())
    milestones = list(full.milestones.all())
    versions = list(full.report_versions.all())
    recommendations = list(full.recommendations.all())
    events = events_for_many(
        {
            Exemplar._meta.label_lower: [full.pk],
            PathwayService._meta.label_lower: [s.pk for s in services],
            Participant._meta.label_lower: [p.pk for p in participants],
            Milestone._meta.label_lower: [m.pk for m in milestones],
            ReportVersion._meta.label_lower: [v.pk for v in versions],
            Recommendation._meta.label_lower: [r.pk for r in recommendations],
        }
    )
    return {
        "exemplar": full,
        "specialised": [s for s in services if s.specialised and not s.removed],
        "non_specialised": [s for s in services if not s.specialised and not s.removed],
        "removed_services": [s for s in services if s.removed],
        "participants": participants,
        "milestones": milestones,
        "report_versions": versions,
        "recommendations": recommendations,
        "open_recommendation": next((r for r in recommendations if r.is_open), None),
        "events": list(events[:200]),
    }


def exemplars_for_api(user) -> QuerySet[Exemplar]:
    """The projects `user` reads, with every part for the nested read."""
    return (
        exemplars_visible_to(user)
        .select_related("system", "board")
        .prefetch_related(*_parts())
        .order_by("pk")
    )


def boards_of(system: IntegratedCareSystem) -> QuerySet[OversightGroup]:
    """The strategy boards of a system, which may oversee its projects."""
    return OversightGroup.objects.filter(
        kind=OversightGroup.Kind.STRATEGY_BOARD, system=system
    ).order_by("-start_date")


def commissioners_of(system: IntegratedCareSystem) -> QuerySet[CCG]:
    """Every CCG or ICB that has ever been in the system (the rule then checks the day)."""
    return ccgs_of_system(system.pk)


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def report_version_of(exemplar: Exemplar, number: int) -> ReportVersion | None:
    return exemplar.report_versions.filter(number=number).first()


def all_commissioners() -> QuerySet[CCG]:
    return CCG.objects.all()


def systems() -> QuerySet[IntegratedCareSystem]:
    return IntegratedCareSystem.objects.all()


def board_by_id(pk: int | None) -> OversightGroup | None:
    return None if pk is None else OversightGroup.objects.filter(pk=pk).first()
