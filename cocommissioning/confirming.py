"""The check-your-answers page before a CCG lead submits a co-commissioning application to
the region (issue 18, finding 1): GET on the submit address shows it, its button posts to the
same address (views.application_act). What would stop the submission (the service refuses
the same) is listed with a link to fix it, and the button is withheld until it is fixed."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from commissioning.confirm import Gap, Row, confirm_page
from commissioning.dates import nhs_date

from . import selectors, services
from .actions import is_late
from .models import Application, ConflictsReview, Model


def _gaps(application: Application, page: dict) -> list[Gap]:
    url = application.get_absolute_url()
    attach = reverse("cocommissioning:application-attach", args=[application.pk])
    gaps = [
        Gap(f"The {kind.lower()} is not attached.", attach, f"Attach the {kind.lower()}")
        for kind in services.missing_documents(application)
    ]
    gaps += [
        Gap(f"{p.ccg.name}'s lead has not confirmed the CCG takes part.", f"{url}#ccgs",
            "See the CCGs taking part")
        for p in page["parties"]
        if p.confirmed_at is None and p.ccg_id != application.lead_ccg_id
    ]  # fmt: skip
    window = services.window_for(application.model, application.go_live_on)
    if window is not None and is_late(application) and not application.late_agreed_at:
        gaps.append(
            Gap(
                f"Proposals for {nhs_date(application.go_live_on)} were due by "
                f"{nhs_date(window.submit_by)}: a late application needs the regional team's "
                "agreement, recorded on the application.",
                url,
                "Go back to the application",
            )
        )
    return gaps


def _rows(application: Application, page: dict, *, editable: bool) -> list[Row]:
    attach = reverse("cocommissioning:application-attach", args=[application.pk])
    edit = reverse("cocommissioning:application-edit", args=[application.pk])
    rows = [
        Row("Application", str(application)),
        Row("Model", application.get_model_display()),
        Row("Go-live date", nhs_date(application.go_live_on)),
        Row("CCGs taking part", ", ".join(p.ccg.name for p in page["parties"])),
        Row(
            "Documents attached",
            "\n".join(d.get_kind_display() for d in page["documents"]) or "None",
            attach if editable else "",
        ),
        Row("Summary", application.summary or "Not written", edit if editable else ""),
    ]
    if application.model == Model.JOINT:
        rows.insert(3, Row("Pooled budget", "Yes" if application.pooled_budget else "No"))
    return rows


def _crumbs(application: Application) -> list[dict]:
    return [
        {"label": "Applications", "url": reverse("cocommissioning:application-list")},
        {"label": str(application), "url": application.get_absolute_url()},
    ]


def submit_confirm(request: HttpRequest, application: Application, form) -> HttpResponse:
    """`form` is the submit action's VersionedForm (bound, with the refusal, after a POST)."""
    page = selectors.application_page(application)
    gaps = _gaps(application, page)
    rows = _rows(application, page, editable=True)
    consequences = [
        "The application goes to the regional team of its CCGs' region, who are told by email "
        "and in their inbox.",
        "You cannot change it or its documents while the region reviews it, unless they ask "
        "for changes; you can still withdraw it.",
    ]
    return confirm_page(
        request,
        title="Check the application before you submit it",
        caption=application.lead_ccg.name,
        rows=rows,
        gaps=gaps,
        gaps_heading="Not ready to submit",
        consequences=consequences,
        button="Confirm and submit to the region",
        back_url=application.get_absolute_url(),
        back_label="Cancel and go back to the application",
        form=form,
        blocked="The application cannot be submitted until these are done." if gaps else "",
        breadcrumbs=_crumbs(application),
        status=400 if form.errors else 200,
    )


def decision_confirm(request: HttpRequest, application: Application, form) -> HttpResponse:
    """The region's approval of a joint application, or its recommendation of a delegated one
    to the Commissioning Committee (seed 002, "Sign-off and approvals"): `form` is the
    action's NoteForm, its optional note asked here."""
    page = selectors.application_page(application)
    rows = _rows(application, page, editable=False)
    review = page["conflicts_review"]
    joint = application.model == Model.JOINT
    gaps = []
    if not joint:
        outcome = review.get_outcome_display() if review and review.outcome else "Not complete"
        rows.append(Row("Conflicts of interest review", outcome))
        if review is None or review.outcome != ConflictsReview.Outcome.ASSURED:
            gaps.append(
                Gap(
                    "The conflicts of interest review is not complete with the outcome assured.",
                    reverse("cocommissioning:application-conflicts", args=[application.pk]),
                    "Complete the conflicts of interest review",
                )
            )
    if joint:
        title, button = "Check the application before you approve it", "Confirm and approve"
        consequences = [
            f"The application is approved and implemented for {nhs_date(application.go_live_on)}"
            ": a joint committee of its CCGs and NHS England is set up from today.",
            "The CCGs' leads are told by email and in their inbox.",
        ]
    else:
        title = "Check the application before you recommend it"
        button = "Confirm and recommend to the Commissioning Committee"
        consequences = [
            "The application goes to the Commissioning Committee, who decide it as an item on "
            "one of their meetings' agendas.",
            "The CCGs' leads and the Commissioning Committee are told by email and in their inbox.",
        ]
    return confirm_page(
        request,
        title=title,
        caption=application.lead_ccg.name,
        rows=rows,
        gaps=gaps,
        gaps_heading="Not ready yet",
        consequences=consequences,
        button=button,
        back_url=application.get_absolute_url(),
        back_label="Cancel and go back to the application",
        form=form,
        blocked="The application cannot go on until this is done." if gaps else "",
        breadcrumbs=_crumbs(application),
        status=400 if form.errors else 200,
    )
