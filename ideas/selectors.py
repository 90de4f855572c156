"""Reads for the idea exchange's pages and API, each in a fixed number of queries whatever the
number of posts (issue 17: "the idea exchange at 10,000 posts")."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hubs.models import Hub, ProgrammeOfCare, Region
from national.models import ClinicalReferenceGroup
from national.selectors import crg_choices
from priorities.models import Proposal
from priorities.permissions import all_proposals_visible_to

from .models import THEME_SEPARATOR, Adoption, Comment, Follow, Post
from .permissions import shown_q, visible_posts


@dataclass(frozen=True)
class PostFilters:
    q: str = ""
    programme: ProgrammeOfCare | None = None
    crg: ClinicalReferenceGroup | None = None
    theme: str = ""
    region: Region | None = None
    hub: Hub | None = None
    adopted: bool | None = None


def post_list(user, filters: PostFilters = PostFilters()) -> QuerySet[Post]:
    """The posts a person may read, newest first, filtered: words in the title, problem, what
    was tried or results (`icontains`, on SQLite and PostgreSQL alike), a Programme of Care, a
    CRG, a theme, the author's region or hub, adopted or not. Each row carries its author,
    organisation, CRG, Programmes of Care (one prefetch), shown comments and whether it is
    adopted."""
    posts = visible_posts(user)
    if filters.q:
        for word in filters.q.split()[:10]:
            posts = posts.filter(
                Q(title__icontains=word)
                | Q(problem__icontains=word)
                | Q(tried__icontains=word)
                | Q(results__icontains=word)
            )
    if filters.programme is not None:
        posts = posts.filter(programmes=filters.programme)
    if filters.crg is not None:
        posts = posts.filter(crg=filters.crg)
    if filters.theme:
        posts = posts.filter(themes__contains=f"{THEME_SEPARATOR}{filters.theme}{THEME_SEPARATOR}")
    if filters.region is not None:
        posts = posts.filter(region=filters.region)
    if filters.hub is not None:
        posts = posts.filter(hub=filters.hub)
    adopted = Exists(Adoption.objects.filter(post=OuterRef("pk")))
    if filters.adopted is not None:
        posts = posts.filter(adopted) if filters.adopted else posts.exclude(adopted)
    shown_comments = (
        Comment.objects.filter(shown_q(user), post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(c=Count("pk"))
    )
    return (
        posts.select_related("author", "region", "hub", "ccg", "crg")
        .prefetch_related(Prefetch("programmes", queryset=ProgrammeOfCare.objects.order_by("name")))
        .annotate(
            adopted=adopted,
            comment_count=Coalesce(Subquery(shown_comments.values("c")), 0),
        )
        .order_by("-created_at", "-pk")
    )


def post_page(user, post: Post) -> dict:
    """What a post's page shows: its comments (hidden ones to admins and their authors), its
    attachments, the hubs that adopted it with their priorities, and whether the reader
    follows it."""
    comments = list(
        Comment.objects.filter(shown_q(user), post=post)
        .select_related("author", "hidden_by")
        .order_by("created_at", "pk")
    )
    adoptions = list(
        Adoption.objects.filter(post=post)
        .select_related("hub", "proposal__plan", "adopted_by")
        .order_by("adopted_at", "pk")
    )
    readable = set(
        all_proposals_visible_to(user)
        .filter(pk__in=[a.proposal_id for a in adoptions])
        .values_list("pk", flat=True)
    )
    for adoption in adoptions:  # the priority's title is shared; its page only with its readers
        adoption.proposal_readable = adoption.proposal_id in readable  # type: ignore[attr-defined]
    return {
        "comments": comments,
        "attachments": list(post.attachments.order_by("number")),
        "adoptions": adoptions,
        "programmes": list(post.programmes.order_by("name")),
        "following": is_following(user, post),
        "follower_count": Follow.objects.filter(post=post, ended_at__isnull=True).count(),
    }


def followed_posts(user, limit: int = 5) -> list[Post]:
    """The posts a person follows (their own included), those with the newest comments first,
    each with its shown comments' count and the latest's time: one query, for My work."""
    shown = Comment.objects.filter(shown_q(user), post=OuterRef("pk")).order_by()
    latest = shown.order_by("-created_at").values("created_at")[:1]
    count = shown.values("post").annotate(c=Count("pk")).values("c")
    return list(
        visible_posts(user)
        .filter(follows__user=user, follows__ended_at__isnull=True)
        .annotate(
            latest_comment_at=Subquery(latest),
            comment_count=Coalesce(Subquery(count), 0),
        )
        .order_by(Coalesce("latest_comment_at", "created_at").desc(), "-pk")[:limit]
    )


def is_following(user, post: Post) -> bool:
    return Follow.objects.filter(post=post, user=user, ended_at__isnull=True).exists()


def post_history(post: Post):
    """The post's saved versions, newest first, with who saved each: one row per version (the
    last record of it: a change of Programmes of Care writes its own records)."""
    last = post.history.order_by().values("version").annotate(last=Max("history_id"))
    return (
        post.history.filter(history_id__in=last.values("last"))
        .select_related("history_user")
        .order_by("-history_id")
    )


def programmes() -> QuerySet[ProgrammeOfCare]:
    return ProgrammeOfCare.objects.order_by("name")


def crgs() -> QuerySet[ClinicalReferenceGroup]:
    """The CRGs a post may name: current ones first, archived ones after (an older post's)."""
    return crg_choices()


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def hubs() -> QuerySet[Hub]:
    return Hub.objects.select_related("region").order_by("name")


def proposals_of_hubs(hubs: list[Hub]) -> QuerySet[Proposal]:
    """The priorities of these hubs' plans (any year), newest plan first."""
    return (
        Proposal.objects.filter(plan__group__hub__in=hubs)
        .select_related("plan__group__hub")
        .order_by("-plan__year", "plan__group__hub__name", "title")
    )
