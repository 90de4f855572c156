"""The idea exchange's pages (issue 17, "What to build" 5; seed 000 §4.2, "a web-based platform
for exchanging ideas"): search and filter the posts, read one with its comments, share and edit
an idea, comment, follow, ask to be put in touch, mark it adopted by your hub, and (national
admins) hide and show posts and comments. Every page works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.views import form_page

from . import forms, selectors, services
from .permissions import (
    adopting_hubs,
    can_adopt,
    can_ask_contact,
    can_edit_post,
    can_moderate,
    can_post,
    get_attachment_for_user,
    get_comment_for_user,
    get_post_for_user,
    organisations_of,
    require_adopter,
    require_moderator,
    require_poster,
    require_reader,
)

PAGE_SIZE = 25


def _crumbs(post=None) -> list[dict]:
    crumbs = [{"label": "Idea exchange", "url": reverse("ideas:post-list")}]
    if post is not None:
        crumbs.append({"label": post.title, "url": post.get_absolute_url()})
    return crumbs


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = forms.PostSearchForm(request.GET or None)
    posts = selectors.post_list(request.user, form.filters())
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/post_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_post": can_post(request.user),
            "searched": bool(query),
        },
    )


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    user = request.user
    return render(
        request,
        "ideas/post_detail.html",
        {
            "post": post,
            **selectors.post_page(user, post),
            "comment_form": forms.CommentForm(),
            "can_edit": can_edit_post(user, post),
            "can_moderate": can_moderate(user),
            "can_adopt": can_adopt(user, post),
            "can_ask_contact": can_ask_contact(user, post),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    page = Paginator(selectors.post_history(post), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ideas/post_history.html",
        {"post": post, "page": page, "breadcrumbs": _crumbs(post)},
    )


def _post_initial(post) -> dict:
    return {
        "title": post.title,
        "problem": post.problem,
        "tried": post.tried,
        "results": post.results,
        "contacts": post.contacts,
        "programmes": list(post.programmes.all()),
        "crg": post.crg,
        "themes": post.theme_values,
        "version": post.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    require_poster(request.user)
    form = forms.PostForm(request.POST or None, organisations=organisations_of(request.user))
    created = []

    def save(**data):
        created.append(services.post_create(by=request.user, **data))

    response = form_page(
        request,
        form,
        title="Share an idea",
        caption="Idea exchange",
        intro=[
            "Share an idea or a practice with every hub: the problem, what you tried and what"
            " happened. Others can comment, follow it and ask to be put in touch."
        ],
        submit_label="Share the idea",
        breadcrumbs=_crumbs(),
        save=save,
        success_url=reverse("ideas:post-list"),
        message="Idea shared. You follow it: you will be emailed its comments.",
    )
    if created:
        return redirect(created[0])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.PostEditForm(request.POST or None, initial=_post_initial(post)),
        title=f"Change {post.title}",
        caption="Idea exchange",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.post_update(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="Idea saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk, write=True)
    return form_page(
        request,
        forms.AttachmentForm(request.POST or None, request.FILES or None),
        title="Attach a document",
        caption=post.title,
        submit_label="Attach",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.attachment_add(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="Document attached.",
    )


@login_required
def attachment_download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    post = get_post_for_user(request.user, pk)
    attachment = get_attachment_for_user(request.user, post, number)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"idea-{post.pk}-attachment-{attachment.number}.{attachment.extension}",
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    return form_page(
        request,
        forms.CommentForm(request.POST or None),
        title="Comment on the idea",
        caption=post.title,
        submit_label="Add comment",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.comment_add(by=request.user, post=post, **data),
        success_url=post.get_absolute_url() + "#comments",
        message="Comment added. The idea's followers are emailed it.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk, write=True)
    post = comment.post
    initial = {"body": comment.body, "version": comment.version}
    return form_page(
        request,
        forms.CommentEditForm(request.POST or None, initial=initial),
        title="Change your comment",
        caption=post.title,
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.comment_update(by=request.user, comment=comment, **data),
        success_url=post.get_absolute_url() + f"#comment-{comment.pk}",
        message="Comment saved.",
    )


@login_required
@require_POST
def post_follow(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    services.post_follow(by=request.user, post=post)
    messages.success(request, "You follow this idea: you will be emailed its new comments.")
    return redirect(post)


@login_required
@require_POST
def post_unfollow(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    services.post_unfollow(by=request.user, post=post)
    messages.success(request, "You no longer follow this idea.")
    return redirect(post)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    if not can_ask_contact(request.user, post):
        raise PermissionDenied("This is your own post.")
    return form_page(
        request,
        forms.ContactForm(request.POST or None),
        title="Ask to be put in touch",
        caption=post.title,
        intro=[
            f"{post.author.full_name or 'The author'} ({post.organisation_name}) is emailed"
            " your name, email address and message."
        ],
        submit_label="Ask to be put in touch",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.contact_request(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="The author has been emailed your request.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    require_adopter(request.user, post)
    hubs = adopting_hubs(request.user, post)
    return form_page(
        request,
        forms.AdoptForm(request.POST or None, hubs=hubs),
        title="Mark the idea adopted by your hub",
        caption=post.title,
        intro=["Link the priority of your hub's plan that takes the idea up."],
        submit_label="Mark adopted",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.post_adopt(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="The idea is marked adopted by your hub.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    require_moderator(request.user)
    return form_page(
        request,
        forms.HideForm(request.POST or None, initial={"version": post.version}),
        title="Hide the idea",
        caption=post.title,
        submit_label="Hide the idea",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.post_hide(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="The idea is hidden. Its author and national admins still see it, with the reason.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for_user(request.user, pk)
    require_moderator(request.user)
    return form_page(
        request,
        forms.UnhideForm(request.POST or None, initial={"version": post.version}),
        title="Show the idea again",
        caption=post.title,
        submit_label="Show the idea",
        breadcrumbs=_crumbs(post),
        save=lambda **data: services.post_unhide(by=request.user, post=post, **data),
        success_url=post.get_absolute_url(),
        message="The idea is shown to everyone again.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk)
    require_moderator(request.user)
    return form_page(
        request,
        forms.HideForm(request.POST or None, initial={"version": comment.version}),
        title="Hide the comment",
        caption=comment.post.title,
        intro=[comment.body[:300]],
        submit_label="Hide the comment",
        breadcrumbs=_crumbs(comment.post),
        save=lambda **data: services.comment_hide(by=request.user, comment=comment, **data),
        success_url=comment.post.get_absolute_url() + f"#comment-{comment.pk}",
        message="The comment is hidden.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk)
    require_moderator(request.user)
    return form_page(
        request,
        forms.UnhideForm(request.POST or None, initial={"version": comment.version}),
        title="Show the comment again",
        caption=comment.post.title,
        submit_label="Show the comment",
        breadcrumbs=_crumbs(comment.post),
        save=lambda **data: services.comment_unhide(by=request.user, comment=comment, **data),
        success_url=comment.post.get_absolute_url() + f"#comment-{comment.pk}",
        message="The comment is shown again.",
    )
