"""The idea exchange at national scale (issue 17, "Done when": "the idea exchange at 10,000
posts in the scale generator"): `populate_ideas(n)` bulk-creates `n` posts spread over every
hub's staff, CCG leads and regional teams, each tagged with a Programme of Care and a theme, with
comments, follows and a few adoptions. Bulk rows: no history, no audit events, no emails."""

import datetime
import itertools

from django.utils import timezone

from accounts.models import Role, RoleAssignment
from hubs.models import CCG, Hub, ProgrammeOfCare, Region
from ideas.models import Comment, Follow, Organisation, Post, Theme, themes_field
from tests.factories import make_user


def populate_ideas(n: int = 10_000, *, comments_every: int = 5) -> list[int]:
    """`n` posts (newest last), a comment on every `comments_every`-th, the author following
    each. Returns the posts' ids."""
    authors = []
    for hub in Hub.objects.select_related("region"):
        staff = _person(f"ideas.{hub.slug}@example.nhs.uk", Role.HUB_STAFF, hub)
        authors.append((staff, Organisation.HUB, hub.region, hub, None))
    for region in Region.objects.all():
        team = _person(f"ideas.{region.slug}@example.nhs.uk", Role.REGIONAL_TEAM, region)
        authors.append((team, Organisation.REGION, region, None, None))
    for ccg in CCG.objects.select_related("hub__region").order_by("pk")[:20]:
        lead = _person(f"ideas.{ccg.ods_code}@example.nhs.uk", Role.CCG_LEAD, ccg)
        authors.append((lead, Organisation.CCG, ccg.hub.region, ccg.hub, ccg))
    themes = itertools.cycle(Theme.values)
    people = itertools.cycle(authors)
    start = timezone.now() - datetime.timedelta(days=n)
    posts = []
    for i in range(n):
        user, kind, region, hub, ccg = next(people)
        posts.append(
            Post(
                title=f"Idea {i}: shared care for service {i % 97}",
                problem=f"Problem {i}: patients travel far for assessment.",
                tried="A joint clinic.",
                results="Fewer journeys.",
                themes=themes_field([next(themes)]),
                author=user,
                organisation=kind,
                region=region,
                hub=hub,
                ccg=ccg,
            )
        )
    created = Post.objects.bulk_create(posts, batch_size=1000)
    # auto_now_add set them all to now: spread them over time, so newest-first means something.
    for offset, post in enumerate(created):
        post.created_at = start + datetime.timedelta(days=offset)
    Post.objects.bulk_update(created, ["created_at"], batch_size=1000)
    programmes = list(ProgrammeOfCare.objects.order_by("pk"))
    Through = Post.programmes.through
    Through.objects.bulk_create(
        [
            Through(post_id=p.pk, programmeofcare_id=programmes[i % len(programmes)].pk)
            for i, p in enumerate(created)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Follow.objects.bulk_create(
        [Follow(post=p, user_id=p.author_id, started_at=now) for p in created], batch_size=2000
    )
    Comment.objects.bulk_create(
        [
            Comment(post=p, author_id=authors[(i + 1) % len(authors)][0].pk, body=f"Comment {i}")
            for i, p in enumerate(created)
            if i % comments_every == 0
        ],
        batch_size=2000,
    )
    return [p.pk for p in created]


def _person(email: str, role: str, org):
    existing = RoleAssignment.objects.filter(user__email=email).select_related("user").first()
    return existing.user if existing else make_user(email, email.split("@")[0], (role, org))
