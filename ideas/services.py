"""Every change to the idea exchange (issue 17, "What to build" 5; seed 000 §4.2 and §4.2.1):
each named, atomic and audited; posts and comments are versioned (a stale edit is refused with
what changed); nothing is deleted: moderation hides with a reason, a follow ends, attachments are
kept. Emails are owed through the outbox in the change's transaction, once per key."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning import outbox
from commissioning.concurrency import attribute_to, create_recorded, lock_version, save_versioned
from commissioning.dates import nhs_date
from commissioning.errors import NotAllowed, RuleError, StateConflict
from governance.uploads import validate_upload
from hubs.models import Hub, ProgrammeOfCare
from national.models import ClinicalReferenceGroup
from priorities.models import Proposal

from . import events, tasks
from .models import (
    Adoption,
    Attachment,
    Comment,
    ContactRequest,
    Follow,
    Post,
    Theme,
    themes_field,
)
from .permissions import adopting_hubs, can_moderate, can_read, organisations_of

POST_FIELDS = ["title", "problem", "tried", "results", "contacts", "themes", "crg"]
MAX_ATTACHMENTS = 10


class IdeaError(RuleError):
    """A refusal on the idea exchange (400 beside its field)."""


def _text(value: str, field: str, message: str = "") -> str:
    value = (value or "").strip()
    if message and not value:
        raise IdeaError(message, field=field)
    return value


def _themes(themes: Iterable[str]) -> str:
    chosen = list(themes)
    unknown = [t for t in chosen if t not in Theme.values]
    if unknown:
        raise IdeaError("Choose themes from the list.", field="themes")
    return themes_field(chosen)


def _cleaned(
    *, title: str, problem: str, tried: str, results: str, contacts: str, themes: Iterable[str]
) -> dict:
    return {
        "title": _text(title, "title", "Enter a title for the idea"),
        "problem": _text(problem, "problem", "Describe the problem the idea answers"),
        "tried": _text(tried, "tried"),
        "results": _text(results, "results"),
        "contacts": _text(contacts, "contacts"),
        "themes": _themes(themes),
    }


def _crg(crg: ClinicalReferenceGroup | None, current: ClinicalReferenceGroup | None = None):
    """A post names a CRG national admins keep; an archived one only if the post named it
    already (an older post keeps its tag)."""
    if crg is not None and crg.archived and crg != current:
        raise IdeaError(f"{crg.name} is archived: choose a current CRG.", field="crg")
    return crg


@transaction.atomic
def post_create(
    *,
    by,
    organisation: str,
    title: str,
    problem: str,
    tried: str = "",
    results: str = "",
    contacts: str = "",
    programmes: Sequence[ProgrammeOfCare] = (),
    themes: Iterable[str] = (),
    crg: ClinicalReferenceGroup | None = None,
) -> Post:
    """Share an idea or a practice for one of the author's organisations (their hub, region or
    CCG/ICB, from their roles). The author follows their post from the start (product
    decision: they hear of its comments)."""
    choices = {c.key: c for c in organisations_of(by)}
    if not choices:
        raise NotAllowed("Hub staff, CCG and ICB leads and regional teams share ideas.")
    choice = choices.get(organisation) if organisation else None
    if choice is None and not organisation and len(choices) == 1:
        choice = next(iter(choices.values()))
    if choice is None:
        raise IdeaError("Choose the organisation you share the idea for.", field="organisation")
    fields = _cleaned(
        title=title, problem=problem, tried=tried, results=results, contacts=contacts, themes=themes
    )
    post = create_recorded(
        Post,
        by=by,
        author=by,
        organisation=choice.kind,
        region=choice.region,
        hub=choice.hub,
        ccg=choice.ccg,
        crg=_crg(crg),
        **fields,
    )
    post.programmes.set(programmes)
    Follow.objects.create(post=post, user=by, started_at=timezone.now())
    events.record(by, events.POST_CREATED, post, organisation=choice.key)
    return post


@transaction.atomic
def post_update(
    *,
    by,
    post: Post,
    version: int,
    title: str,
    problem: str,
    tried: str = "",
    results: str = "",
    contacts: str = "",
    programmes: Sequence[ProgrammeOfCare] = (),
    themes: Iterable[str] = (),
    crg: ClinicalReferenceGroup | None = None,
) -> Post:
    """The author changes their post, naming the version they started from."""
    current = lock_version(Post, post.pk, version, POST_FIELDS)
    if current.author_id != by.pk:
        raise NotAllowed("Only the post's author changes it.")
    fields = _cleaned(
        title=title, problem=problem, tried=tried, results=results, contacts=contacts, themes=themes
    )
    fields["crg"] = _crg(crg, current.crg)
    changed = [f for f in POST_FIELDS if getattr(current, f) != fields[f]]
    for name in changed:
        setattr(current, name, fields[name])
    before = set(current.programmes.values_list("pk", flat=True))
    if before != {p.pk for p in programmes}:
        current.programmes.set(programmes)  # before the save, so its history row has them
        changed.append("programmes")
    save_versioned(current, by=by, fields=[f for f in changed if f != "programmes"])
    events.record(by, events.POST_UPDATED, current, fields=changed)
    return current


@transaction.atomic
def attachment_add(*, by, post: Post, file) -> Attachment:
    """The author attaches a document (PDF or DOCX, judged by content); attachments are kept."""
    current = Post.objects.select_for_update().get(pk=post.pk)
    if current.author_id != by.pk:
        raise NotAllowed("Only the post's author adds attachments.")
    count = current.attachments.count()
    if count >= MAX_ATTACHMENTS:
        raise IdeaError(f"A post has at most {MAX_ATTACHMENTS} attachments.", field="file")
    try:
        content_type, name = validate_upload(file)
    except ValidationError as invalid:
        raise IdeaError(invalid.messages[0], field="file") from invalid
    attachment = Attachment(
        post=current,
        number=count + 1,
        original_filename=file.name[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=by,
    )
    attachment.file.save(name, file, save=False)
    attribute_to(attachment, by)
    attachment.save()
    events.record(by, events.ATTACHMENT_ADDED, current, number=attachment.number)
    return attachment


def _hide(model, obj, *, by, version: int, reason: str, fields: list[str]):
    if not can_moderate(by):
        raise NotAllowed("Only national admins hide posts and comments.")
    reason = _text(reason, "reason", "Say why it is hidden: the author reads the reason")
    current = lock_version(model, obj.pk, version, fields)
    if current.is_hidden:
        raise StateConflict("It is hidden already.")
    current.hidden_at, current.hidden_by, current.hidden_reason = timezone.now(), by, reason
    save_versioned(current, by=by, fields=["hidden_at", "hidden_by", "hidden_reason"])
    return current


def _unhide(model, obj, *, by, version: int, fields: list[str]):
    if not can_moderate(by):
        raise NotAllowed("Only national admins show hidden posts and comments.")
    current = lock_version(model, obj.pk, version, fields)
    if not current.is_hidden:
        raise StateConflict("It is not hidden.")
    current.hidden_at, current.hidden_by, current.hidden_reason = None, None, ""
    save_versioned(current, by=by, fields=["hidden_at", "hidden_by", "hidden_reason"])
    return current


@transaction.atomic
def post_hide(*, by, post: Post, version: int, reason: str) -> Post:
    """A national admin hides a post, with the reason (shown to the author and admins)."""
    current = _hide(Post, post, by=by, version=version, reason=reason, fields=POST_FIELDS)
    events.record(by, events.POST_HIDDEN, current, reason=current.hidden_reason)
    return current


@transaction.atomic
def post_unhide(*, by, post: Post, version: int) -> Post:
    current = _unhide(Post, post, by=by, version=version, fields=POST_FIELDS)
    events.record(by, events.POST_UNHIDDEN, current)
    return current


@transaction.atomic
def comment_add(*, by, post: Post, body: str) -> Comment:
    """A reader comments; each follower but the commenter is owed one notice of it (inbox and
    email, as their notification settings say)."""
    if not can_read(by):
        raise NotAllowed("Sign in with a role to comment.")
    body = _text(body, "body", "Enter your comment")
    comment = create_recorded(Comment, by=by, post=post, author=by, body=body)
    followers = (
        Follow.objects.filter(post=post, ended_at__isnull=True, user__is_active=True)
        .exclude(user=by)
        .values_list("user_id", flat=True)
    )
    for user_id in followers:
        outbox.add(
            tasks.comment_notice_send,
            comment.pk,
            user_id,
            key=f"idea-comment:{comment.pk}:{user_id}",
            label=f"New comment on the idea {post.title}"[:200],
        )
    events.record(by, events.COMMENT_ADDED, post, comment=comment.pk)
    return comment


@transaction.atomic
def comment_update(*, by, comment: Comment, version: int, body: str) -> Comment:
    current = lock_version(Comment, comment.pk, version, ["body"])
    if current.author_id != by.pk:
        raise NotAllowed("Only the comment's author changes it.")
    current.body = _text(body, "body", "Enter your comment")
    save_versioned(current, by=by, fields=["body"])
    events.record(by, events.COMMENT_UPDATED, current.post, comment=current.pk)
    return current


@transaction.atomic
def comment_hide(*, by, comment: Comment, version: int, reason: str) -> Comment:
    current = _hide(Comment, comment, by=by, version=version, reason=reason, fields=["body"])
    events.record(by, events.COMMENT_HIDDEN, current.post, comment=current.pk, reason=reason)
    return current


@transaction.atomic
def comment_unhide(*, by, comment: Comment, version: int) -> Comment:
    current = _unhide(Comment, comment, by=by, version=version, fields=["body"])
    events.record(by, events.COMMENT_UNHIDDEN, current.post, comment=current.pk)
    return current


@transaction.atomic
def post_follow(*, by, post: Post) -> Follow:
    """Follow a post (again): its new comments are emailed."""
    if not can_read(by):
        raise NotAllowed("Sign in with a role to follow ideas.")
    follow = Follow.objects.select_for_update().filter(post=post, user=by).first()
    if follow is None:
        follow = Follow.objects.create(post=post, user=by, started_at=timezone.now())
    elif follow.ended_at is not None:
        follow.started_at, follow.ended_at = timezone.now(), None
        follow.save(update_fields=["started_at", "ended_at"])
    else:
        return follow
    events.record(by, events.POST_FOLLOWED, post)
    return follow


@transaction.atomic
def post_unfollow(*, by, post: Post) -> Follow | None:
    follow = Follow.objects.select_for_update().filter(post=post, user=by).first()
    if follow is None or follow.ended_at is not None:
        return follow
    follow.ended_at = timezone.now()
    follow.save(update_fields=["ended_at"])
    events.record(by, events.POST_UNFOLLOWED, post)
    return follow


@transaction.atomic
def contact_request(*, by, post: Post, message: str = "") -> ContactRequest:
    """ "Put me in touch": the author is emailed who asks (and their message), once per request.
    One request per person and post (product decision: the author has their address)."""
    if not can_read(by):
        raise NotAllowed("Sign in with a role to ask to be put in touch.")
    if post.author_id == by.pk:
        raise IdeaError("This is your own post.", field="message")
    earlier = ContactRequest.objects.filter(post=post, requester=by).first()
    if earlier is not None:
        raise StateConflict(
            f"You asked to be put in touch on {nhs_date(earlier.created_at.date())}: the author"
            " has your email address."
        )
    request = ContactRequest.objects.create(
        post=post, requester=by, message=_text(message, "message")
    )
    outbox.add(
        tasks.contact_email_send,
        request.pk,
        key=f"idea-contact:{request.pk}",
        label=f"Put in touch about the idea {post.title}"[:200],
    )
    events.record(by, events.CONTACT_REQUESTED, post, request=request.pk)
    return request


@transaction.atomic
def post_adopt(*, by, post: Post, hub: Hub, proposal: Proposal, note: str = "") -> Adoption:
    """Staff of another hub mark the post adopted by their hub, pointing at the priority
    (a proposal of a plan of that hub's oversight group) that takes it up."""
    hubs = {h.pk for h in adopting_hubs(by, post)}
    if not hubs:
        raise NotAllowed("Staff of another hub mark a post adopted by their hub.")
    if hub.pk not in hubs:
        raise IdeaError("Choose a hub you work for, other than the post's own.", field="hub")
    if proposal.plan.group.hub_id != hub.pk:
        raise IdeaError(f"Choose a priority of {hub.name}'s plans.", field="proposal")
    if Adoption.objects.filter(post=post, hub=hub).exists():
        raise StateConflict(f"{hub.name} has adopted this idea already.")
    adoption = create_recorded(
        Adoption,
        by=by,
        post=post,
        hub=hub,
        proposal=proposal,
        note=_text(note, "note"),
        adopted_by=by,
    )
    events.record(by, events.POST_ADOPTED, post, hub=hub.slug, proposal=proposal.pk)
    return adoption
