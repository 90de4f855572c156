"""Who reads and writes the idea exchange (issue 17, "What to build" 5; seed 000 §4.2).

- Everyone with a role reads posts and comments on them, follows them and asks to be put in
  touch: hub staff, CCG/ICB leads, regional teams, national admins, ICS leads and Commissioning
  Committee members. Someone with no role reads nothing (403 on the list, 404 on a post).
- Hub staff, CCG/ICB leads and regional teams post, for one of the organisations their roles
  name (national admins moderate; product decision: the others read and comment).
- The author edits their post and adds attachments; a comment's author edits it.
- Staff of a hub other than the post's mark it adopted by their hub.
- National admins hide a post or a comment with a reason, and show it again. A hidden item is
  shown to national admins and its author (with the reason), to nobody else.

Not visible: 404. Visible but not yours to change: 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.permissions import scopes
from hubs.models import CCG, Hub, Region

from .models import Attachment, Comment, Organisation, Post

POSTING_ROLES = (Role.HUB_STAFF, Role.CCG_LEAD, Role.REGIONAL_TEAM)


@dataclass(frozen=True)
class OrganisationChoice:
    """One organisation a person may post for: from one of their role assignments."""

    kind: str
    region: Region
    hub: Hub | None = None
    ccg: CCG | None = None

    @property
    def key(self) -> str:
        target = self.ccg or self.hub or self.region
        return f"{self.kind}:{target.pk}"

    @property
    def label(self) -> str:
        if self.ccg is not None:
            return self.ccg.name
        if self.hub is not None:
            return f"{self.hub.name} hub"
        return f"{self.region.name} regional team"


def can_read(user) -> bool:
    return bool(scopes(user).assignments)


def require_reader(user) -> None:
    if not can_read(user):
        raise PermissionDenied("The idea exchange is for people with a role in the service.")


def organisations_of(user) -> list[OrganisationChoice]:
    """The organisations a person may post for, from their active roles (no query beyond the
    cached roles)."""
    choices = []
    for a in scopes(user).assignments:
        if a.role == Role.HUB_STAFF and a.hub is not None:
            choices.append(OrganisationChoice(Organisation.HUB, a.hub.region, hub=a.hub))
        elif a.role == Role.REGIONAL_TEAM and a.region is not None:
            choices.append(OrganisationChoice(Organisation.REGION, a.region))
        elif a.role == Role.CCG_LEAD and a.ccg is not None:
            hub = a.ccg.hub
            choices.append(OrganisationChoice(Organisation.CCG, hub.region, hub=hub, ccg=a.ccg))
    unique = {c.key: c for c in choices}
    return sorted(unique.values(), key=lambda c: c.label)


def can_post(user) -> bool:
    return bool(organisations_of(user))


def require_poster(user) -> None:
    if not can_post(user):
        raise PermissionDenied(
            "Hub staff, CCG and ICB leads and regional teams share ideas; you can read and comment."
        )


def can_moderate(user) -> bool:
    return scopes(user).national


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only national admins hide and show posts and comments.")


def shown_q(user, prefix: str = "") -> Q:
    """What a reader sees of posts (or comments): everything for national admins; otherwise
    what is not hidden, and their own hidden items."""
    if scopes(user).national:
        return ~Q(pk=None)
    return Q(**{f"{prefix}hidden_at__isnull": True}) | Q(**{f"{prefix}author": user})


def visible_posts(user) -> QuerySet[Post]:
    if not can_read(user):
        return Post.objects.none()
    return Post.objects.filter(shown_q(user))


def can_edit_post(user, post: Post) -> bool:
    return post.author_id == getattr(user, "pk", None) and can_read(user)


def get_post_for_user(user, pk: int, *, write: bool = False) -> Post:
    post = (
        visible_posts(user)
        .select_related("author", "region", "hub__region", "ccg", "crg", "hidden_by")
        .filter(pk=pk)
        .first()
    )
    if post is None:
        raise Http404("No such post.")
    if write and not can_edit_post(user, post):
        raise PermissionDenied("Only the post's author changes it.")
    return post


def get_comment_for_user(user, pk: int, *, write: bool = False) -> Comment:
    comment = (
        Comment.objects.filter(shown_q(user), post__in=visible_posts(user))
        .select_related("post", "author", "hidden_by")
        .filter(pk=pk)
        .first()
    )
    if comment is None:
        raise Http404("No such comment.")
    if write and comment.author_id != user.pk:
        raise PermissionDenied("Only the comment's author changes it.")
    return comment


def get_attachment_for_user(user, post: Post, number: int) -> Attachment:
    attachment = post.attachments.filter(number=number).first()
    if attachment is None:
        raise Http404("No such attachment.")
    return attachment


def adopting_hubs(user, post: Post) -> list[Hub]:
    """The hubs whose staff this person is, other than the post's own."""
    hubs = [
        a.hub
        for a in scopes(user).assignments
        if a.role == Role.HUB_STAFF and a.hub is not None and a.hub_id != post.hub_id
    ]
    return sorted({h.pk: h for h in hubs}.values(), key=lambda h: h.name)


def can_adopt(user, post: Post) -> bool:
    return bool(adopting_hubs(user, post))


def require_adopter(user, post: Post) -> None:
    if not can_adopt(user, post):
        raise PermissionDenied("Staff of another hub mark a post adopted by their hub.")


def can_ask_contact(user, post: Post) -> bool:
    return can_read(user) and post.author_id != user.pk
