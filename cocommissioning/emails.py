"""Emails about co-commissioning applications (issue 15, seed 002): who hears of each change, in
plain text and HTML, with a link to the application.

Seed 002 asks for an approvals process "conducted openly and transparently" that contains "no
surprises" ("Sign-off and approvals"), so each side hears of each step as it is taken:

| event             | to                                          | holds while the application is |
| ----------------- | ------------------------------------------- | ------------------------------ |
| submitted         | the regional team(s) of its CCGs' region(s) | submitted                      |
| changes_requested | the leads of every CCG taking part          | returned for changes           |
| question          | the leads of every CCG taking part          | open                           |
| answer            | the regional team(s)                        | open                           |
| approved (joint)  | the CCGs' leads                             | approved: implementing         |
| recommended       | the CCGs' leads, and the Commissioning      | recommended                    |
| (delegated)       | Committee ("waits for your sign-off")       |                                |
| signed_off        | the CCGs' leads                             | approved: implementing         |
| not_approved      | the CCGs' leads, with the reasons           | not approved                   |
| live              | the CCGs' leads                             | live                           |
| late_agreed       | the CCGs' leads (they may now submit)       | a draft or returned            |
| withdrawn         | the regional team(s), once it was submitted | withdrawn                      |

A service owes its event with `owe(application, event)` inside its transaction: one outbox item
per application, event and the version the change made it (per message for questions and
answers), so a retried change is owed once and a later change is owed again. The task
(`tasks.application_email_send`) reads the application again and sends nothing once it has
moved on from the status the email is about, or has left that status since (a resubmission
after changes requested again): a late or repeated item is harmless. Only active people with
an active role assignment are written to, each once.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import Role, RoleAssignment, User
from commissioning import outbox
from commissioning.emails import render_email
from commissioning.text import and_list

from . import tasks
from .models import Application, Message
from .selectors import window_for

Status = Application.Status
REGION, CCGS, COMMITTEE = "region", "ccgs", "committee"


@dataclass(frozen=True)
class Event:
    statuses: tuple[str, ...]  # the email still holds while the application is in one of these
    sends: tuple[tuple[str, str], ...]  # (audience, template under emails/cocommissioning/)
    label: str  # what the delivery log says, before the application


EVENTS = {
    "submitted": Event(
        (Status.SUBMITTED,), ((REGION, "submitted"),), "Application submitted, to the regional team"
    ),
    "changes_requested": Event(
        (Status.CHANGES_REQUESTED,),
        ((CCGS, "changes-requested"),),
        "Changes requested, to the CCG leads",
    ),
    "approved": Event(
        (Status.IMPLEMENTING,), ((CCGS, "approved"),), "Application approved, to the CCG leads"
    ),
    "recommended": Event(
        (Status.RECOMMENDED,),
        ((CCGS, "recommended"), (COMMITTEE, "sign-off-waiting")),
        "Application recommended, to the CCG leads and the Commissioning Committee",
    ),
    "signed_off": Event(
        (Status.IMPLEMENTING,), ((CCGS, "signed-off"),), "Application signed off, to the CCG leads"
    ),
    "not_approved": Event(
        (Status.NOT_APPROVED,),
        ((CCGS, "not-approved"),),
        "Application not approved, to the CCG leads",
    ),
    "live": Event((Status.LIVE,), ((CCGS, "live"),), "Arrangements live, to the CCG leads"),
    "late_agreed": Event(
        (Status.DRAFT, Status.CHANGES_REQUESTED),
        ((CCGS, "late-agreed"),),
        "Late application agreed, to the CCG leads",
    ),
    "withdrawn": Event(
        (Status.WITHDRAWN,), ((REGION, "withdrawn"),), "Application withdrawn, to the regional team"
    ),
}
MESSAGES = {
    Message.Kind.QUESTION: (CCGS, "question", "Question from the region, to the CCG leads"),
    Message.Kind.ANSWER: (REGION, "answer", "Answer from the CCG, to the regional team"),
}


# --- owing (inside the change's transaction) --------------------------------------------------


def owe(application: Application, event: str) -> None:
    """Owe `event`'s emails about `application` as the change left it. A withdrawal is news only
    to a region that has had the application."""
    if event == "withdrawn" and application.submitted_at is None:
        return
    outbox.add(
        tasks.application_email_send,
        application.pk,
        event,
        application.version,
        key=f"cocommissioning:{application.pk}:{event}:v{application.version}",
        label=f"{EVENTS[event].label}: {application}",
    )


def owe_message(message: Message) -> None:
    """Owe the email of a question (to the CCGs) or an answer (to the region); notes are not
    sent."""
    if message.kind not in MESSAGES:
        return
    outbox.add(
        tasks.message_email_send,
        message.pk,
        key=f"cocommissioning:{message.application_id}:{message.kind}:m{message.pk}",
        label=f"{MESSAGES[Message.Kind(message.kind)][2]}: {message.application}",
    )


# --- sending (in the worker) ----------------------------------------------------------------


def application_email_send(*, application_id: int, event: str, version: int) -> int:
    """Send `event`'s emails if the application is still where the change at `version` left it;
    returns how many went."""
    spec = EVENTS.get(event)
    application = Application.objects.select_related("lead_ccg").filter(pk=application_id).first()
    if spec is None or application is None or _moved_on(application, spec.statuses, version):
        return 0
    context = _context(application)
    if event == "submitted":
        context["resubmitted"] = application.messages.filter(kind=Message.Kind.CHANGES).exists()
    if event == "changes_requested":
        context["message"] = (
            application.messages.filter(kind=Message.Kind.CHANGES).order_by("at", "pk").last()
        )
    if event == "recommended":
        context["window"] = window_for(application.model, application.go_live_on)
    sent = 0
    for audience, template in spec.sends:
        sent += _send(recipients(application, audience), template, context)
    return sent


def message_email_send(*, message_id: int) -> int:
    """Send a question's or an answer's email while its application is open."""
    message = (
        Message.objects.filter(pk=message_id, kind__in=list(MESSAGES))
        .select_related("application__lead_ccg", "by")
        .first()
    )
    if message is None or not message.application.is_open:
        return 0
    audience, template, _ = MESSAGES[Message.Kind(message.kind)]
    context = {**_context(message.application), "message": message}
    return _send(recipients(message.application, audience), template, context)


def _moved_on(application: Application, statuses: tuple[str, ...], version: int) -> bool:
    """Not in the email's status now, or in another one since the change (its history)."""
    if application.status not in statuses:
        return True
    later = application.history.filter(version__gt=version)
    return later.exclude(status=application.status).exists()


def recipients(application: Application, audience: str) -> list[User]:
    """The active people holding the audience's role now, each once: a regional team of a
    region the application's CCGs are in (as `permissions.can_review` decides), a lead of one
    of its CCGs, or a Commissioning Committee member."""
    roles = RoleAssignment.objects.active().filter(user__is_active=True)
    if audience == REGION:
        regions = application.parties.values("ccg__hub__region")
        roles = roles.filter(role=Role.REGIONAL_TEAM, region__in=regions)
    elif audience == CCGS:
        roles = roles.filter(role=Role.CCG_LEAD, ccg__in=application.parties.values("ccg"))
    else:
        roles = roles.filter(role=Role.COMMISSIONING_COMMITTEE)
    return list(User.objects.filter(pk__in=roles.values("user")).order_by("email"))


def ccg_names(application: Application) -> str:
    """The lead CCG, then its partners by name: "A", "A and B", "A, B and C"."""
    partners = application.parties.exclude(ccg=application.lead_ccg_id).order_by("ccg__name")
    return and_list([application.lead_ccg.name, *partners.values_list("ccg__name", flat=True)])


def _context(application: Application) -> dict:
    return {
        "application": application,
        "ccgs": ccg_names(application),
        "model": application.get_model_display().lower(),
        "link": settings.SITE_URL + application.get_absolute_url(),
    }


def _send(users: list[User], template: str, context: dict) -> int:
    for user in users:
        parts = render_email(f"cocommissioning/{template}", {**context, "user": user})
        send_mail(
            subject=parts.subject,
            message=parts.text,
            html_message=parts.html,
            from_email=None,
            recipient_list=[user.email],
        )
    return len(users)
