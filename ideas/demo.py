"""Demo ideas for `make run` (issue 17, "What to build" 5): a few posts by the demo people, one
followed and commented on, one adopted by another hub's priority. Idempotent: a post already
there (by title) is left as it is. Called with the demo people by email
(`demo_ideas_load(people)`, from demo/people.py once the lead wires it)."""

from django.db import transaction

from hubs.models import Hub, ProgrammeOfCare
from national.models import ClinicalReferenceGroup

from . import selectors, services
from .models import Post

SUNDERLAND = "sunderland.ccg@example.nhs.uk"
NEC = "nec.hub@example.nhs.uk"
LONDON = "london.hub@example.nhs.uk"
NORTH = "north.region@example.nhs.uk"

RENAL = "One-stop renal assessment clinic"
PAEDIATRIC = "One waiting list for specialised paediatric surgery across London"
DASHBOARD = "A regional dashboard of CQUIN and QIPP delivery"


def _programme(name: str) -> list[ProgrammeOfCare]:
    return list(ProgrammeOfCare.objects.filter(name=name))


@transaction.atomic
def demo_ideas_load(people: dict) -> None:
    have = set(
        Post.objects.filter(title__in=[RENAL, PAEDIATRIC, DASHBOARD]).values_list(
            "title", flat=True
        )
    )
    if SUNDERLAND in people and RENAL not in have:
        post = services.post_create(
            by=people[SUNDERLAND],
            organisation="",
            title=RENAL,
            problem="Patients referred for renal replacement therapy travelled to Newcastle twice:"
            " once for the renal assessment and once for the transplant work-up.",
            tried="A joint clinic one morning a week, with the renal and transplant teams and a"
            " dietitian in the same room, booked from one referral.",
            results="Half the journeys for 140 patients in the first year, at no extra cost; the"
            " transplant work-up now starts three weeks earlier. A blockage: the two services'"
            " tariffs paid for two attendances, so the trust lost income until the hub agreed a"
            " local price.",
            contacts="Renal network manager, Sunderland CCG",
            programmes=_programme("Internal Medicine"),
            themes=["pathway", "experience", "value"],
            # The national demo adds the CRG first (demo/people.py); without it, no tag.
            crg=ClinicalReferenceGroup.objects.filter(name="Renal Services").first(),
        )
        if LONDON in people:
            services.post_follow(by=people[LONDON], post=post)
            services.comment_add(
                by=people[LONDON],
                post=post,
                body="We would like to try this in two London units. How did you agree the local"
                " price with the trust?",
            )
        if NEC in people:
            services.comment_add(
                by=people[NEC],
                post=post,
                body="The hub agreed a single attendance price for 2015/16; happy to share the"
                " paper that went to the oversight group.",
            )
    if LONDON in people and PAEDIATRIC not in have:
        post = services.post_create(
            by=people[LONDON],
            organisation="",
            title=PAEDIATRIC,
            problem="Children waited very differently for the same operation depending on the"
            " hospital they were referred to.",
            tried="One waiting list across the three specialist centres, with a weekly"
            " clinical call to move children to the first available theatre slot.",
            results="The longest waits fell from 40 to 22 weeks within six months.",
            contacts="London hub, specialised paediatrics lead",
            programmes=_programme("Women and Children"),
            themes=["access", "pathway"],
        )
        nec = Hub.objects.filter(slug="north-east-and-cumbria").first()
        priority = selectors.proposals_of_hubs([nec]).first() if nec else None
        if NEC in people and priority is not None:
            services.post_adopt(
                by=people[NEC],
                post=post,
                hub=nec,
                proposal=priority,
                note="Taken up in the North East and Cumbria plan for 2015/16.",
            )
    if NORTH in people and DASHBOARD not in have:
        services.post_create(
            by=people[NORTH],
            organisation="",
            title=DASHBOARD,
            problem="Each hub reported CQUIN and QIPP delivery in its own format, so the region"
            " could not compare them.",
            tried="One monthly dashboard, filled from the hubs' delivery records.",
            results="Comparable figures from the second month; one perverse incentive found"
            " (a CQUIN paid for activity the pathway was meant to avoid).",
            themes=["value", "digital", "governance"],
        )
