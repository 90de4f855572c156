"""Reads for co-commissioning's pages and API, with their preloading (bounded queries)."""

import datetime

from django.db.models import Prefetch, QuerySet

from hubs.models import CCG
from hubs.querysets import valid_on_q

from .models import (
    AgendaEntry,
    Application,
    ApplicationCCG,
    ApplicationWindow,
    Arrangement,
    ConflictsReview,
    Document,
    Interest,
    Message,
)
from .permissions import applications_visible_to


def applications_for(user, *, status: str = "", model: str = "") -> QuerySet[Application]:
    """The applications `user` reads, newest go-live first, with their CCGs."""
    applications = applications_visible_to(user)
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    if model:
        applications = applications.filter(model=model)
    return applications.select_related("lead_ccg__hub__region").prefetch_related(
        Prefetch("parties", queryset=ApplicationCCG.objects.select_related("ccg"))
    )


def application_page(application: Application) -> dict:
    """What an application's page shows, each in one query."""
    return {
        "parties": list(application.parties.select_related("ccg__hub", "confirmed_by")),
        "documents": list(
            Document.objects.filter(application=application, withdrawn=False).select_related(
                "uploaded_by"
            )
        ),
        "messages": list(Message.objects.filter(application=application).select_related("by")),
        "conflicts_review": ConflictsReview.objects.filter(application=application).first(),
        "agenda_entries": agenda_entries(application),
    }


def window_for(model: str, go_live_on: datetime.date) -> ApplicationWindow | None:
    """The open window for a model going live on a date, if there is one."""
    return ApplicationWindow.objects.filter(
        model=model, go_live_on=go_live_on, archived=False
    ).first()


def pending_entry(application: Application) -> AgendaEntry | None:
    """The application's place on a meeting's agenda still awaiting the decision, if any."""
    return (
        AgendaEntry.objects.filter(application=application, outcome=AgendaEntry.Outcome.PENDING)
        .select_related("item__meeting__committee")
        .first()
    )


def agenda_entries(application: Application) -> list[AgendaEntry]:
    """Every meeting the application has been on the agenda of, and what was decided."""
    return list(
        AgendaEntry.objects.filter(application=application).select_related(
            "item__meeting__committee", "decided_by"
        )
    )


def windows(*, include_archived: bool = False) -> QuerySet[ApplicationWindow]:
    rows = ApplicationWindow.objects.all()
    return rows if include_archived else rows.filter(archived=False)


def arrangements_on(day: datetime.date, *, region=None, hub=None, model: str = "") -> list[dict]:
    """Every CCG open on `day` with its arrangement that day (None: no co-commissioning), for
    the national and regional table. Two queries, whatever the size."""
    ccgs = CCG.objects.filter(valid_on_q(day), kind=CCG.Kind.CCG).select_related(
        "hub__region", "area_team"
    )
    if region is not None:
        ccgs = ccgs.filter(hub__region=region)
    if hub is not None:
        ccgs = ccgs.filter(hub=hub)
    arrangements = {
        a.ccg_id: a
        for a in Arrangement.objects.filter(valid_on_q(day), ccg__in=ccgs).select_related(
            "application"
        )
    }
    rows = [
        {"ccg": ccg, "arrangement": arrangements.get(ccg.pk)}
        for ccg in ccgs.order_by("hub__region__name", "hub__name", "name")
    ]
    return of_model(rows, model)


# The arrangements table's choice of the CCGs with no co-commissioning arrangement.
NO_MODEL = "none"


def of_model(rows: list[dict], model: str) -> list[dict]:
    """The rows whose arrangement is of `model` (NO_MODEL: those with none; "": all)."""
    if not model:
        return rows
    if model == NO_MODEL:
        return [r for r in rows if r["arrangement"] is None]
    return [r for r in rows if r["arrangement"] is not None and r["arrangement"].model == model]


def arrangement_history(ccg: CCG) -> list[Arrangement]:
    return list(ccg.co_arrangements.select_related("application").order_by("-valid_from"))


def live_arrangement(ccg: CCG, day: datetime.date) -> Arrangement | None:
    return Arrangement.objects.filter(valid_on_q(day), ccg=ccg).first()


def interests_for(ccg: CCG, *, include_archived: bool = False) -> QuerySet[Interest]:
    rows = Interest.objects.filter(ccg=ccg)
    return rows if include_archived else rows.filter(archived=False)


# --- the API's reads (issue 15, "What to build" 7) -----------------------------------------


def conflicts_reviews_visible_to(user) -> QuerySet[ConflictsReview]:
    """The conflicts of interest reviews of applications `user` reads (the API narrows it to
    those the user may read: see cocommissioning.api)."""
    return ConflictsReview.objects.filter(
        application__in=applications_visible_to(user).values("pk")
    ).select_related("application")


def interests(*, include_archived: bool = False) -> QuerySet[Interest]:
    """Every CCG's register of interests, with its CCG (readable by anyone signed in)."""
    rows = Interest.objects.select_related("ccg")
    return rows if include_archived else rows.filter(archived=False)


def documents_of(application: Application) -> QuerySet[Document]:
    return Document.objects.filter(application=application, withdrawn=False).select_related(
        "uploaded_by"
    )


def document_of(application: Application, pk: int) -> Document | None:
    """One of the application's documents, current or withdrawn (kept on record)."""
    return Document.objects.filter(application=application, pk=pk).first()


def applications_of_ccg(applications: QuerySet[Application], ccg: CCG) -> list[Application]:
    """The applications (of those given: the reader's) the CCG takes part in, newest first."""
    return list(applications.filter(parties__ccg=ccg).select_related("lead_ccg"))
