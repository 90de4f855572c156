"""Pages for running an oversight group: set-up, CCG places, members, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import scopes
from commissioning.concurrency import ConflictError
from commissioning.forms import apply_error
from commissioning.views import form_page
from hubs.models import commissioner_label

from . import selectors, services
from .forms import (
    GroupCreateForm,
    GroupEditForm,
    InterestEditForm,
    InterestForm,
    InviteForm,
    MemberEditForm,
    MemberForm,
    RepresentationConfirmForm,
    RepresentationDeclineForm,
    RespondForm,
    SubGroupEditForm,
    SubGroupForm,
    WithdrawForm,
)
from .models import OversightGroup
from .permissions import (
    can_manage_group,
    get_group_for_user,
    get_hub_for_group_setup,
    get_interest_for_user,
    get_member_for_user,
    get_membership_for_user,
    get_subgroup_for_user,
    groups_visible_to,
)

GROUP_PAGE_SIZE = 25


def _crumbs(group: OversightGroup | None = None) -> list[dict]:
    crumbs = [{"label": "Oversight groups", "url": reverse("oversight:group-list")}]
    if group is not None:
        crumbs.append({"label": group.name, "url": group.get_absolute_url()})
    return crumbs


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups the user may see, each with its coverage of the hub's footprint: a page of
    them at a time, since closed groups accumulate year on year (issue 20)."""
    groups = (
        groups_visible_to(request.user)
        .prefetch_related("ccgs", "hub__ccgs")
        .order_by("hub__region__name", "hub__name", "-start_date", "pk")
    )
    page = Paginator(groups, GROUP_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"group": g, "coverage": services.group_coverage(g, list(g.ccgs.all()), g.footprint_day)}
        for g in page.object_list
    ]
    s = scopes(request.user)
    setup_hubs = list(selectors.hubs_without_open_group(s.hub_ids))
    return render(
        request,
        "oversight/group_list.html",
        {"rows": rows, "page": page, "setup_hubs": setup_hubs},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_hub_for_group_setup(request.user, slug)
    form = GroupCreateForm(
        request.POST or None,
        initial={
            "name": f"{hub.name} Collaborative Commissioning Oversight Group",
            "start_date": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(by=request.user, hub=hub, **form.cleaned_data)
        except services.GroupError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{group.name} is set up. Next, invite the hub's CCGs.")
            return redirect(group)
    return render(
        request,
        "oversight/group_form.html",
        {
            "form": form,
            "hub": hub,
            "title": "Set up the oversight group",
            "breadcrumbs": [{"label": hub.name, "url": hub.get_absolute_url()}],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    initial = {f: getattr(group, f) for f in services.GROUP_FIELDS}
    form = GroupEditForm(request.POST or None, initial={**initial, "version": group.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.group_update(by=request.user, group=group, version=version, **data)
        except (services.GroupError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "Group details saved.")
            return redirect(group)
    return render(
        request,
        "oversight/group_form.html",
        {
            "form": form,
            "group": group,
            "hub": group.hub,
            "title": "Change the group's details",
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
@require_POST
def group_invite(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    if request.POST.get("all"):
        ccgs = selectors.footprint_on(group, group.footprint_day)
    else:
        form = InviteForm(request.POST, group=group)
        if not form.is_valid():
            kind = commissioner_label(group.footprint_day)
            messages.error(
                request,
                f"Choose {'an' if kind == 'ICB' else 'a'} {kind} in the hub's footprint to invite.",
            )
            return redirect(group)
        ccgs = [form.cleaned_data["ccg"]]
    try:
        invited = services.ccgs_invite(by=request.user, group=group, ccgs=ccgs)
    except services.GroupError as error:
        messages.error(request, str(error))
    else:
        if invited:
            kinds = commissioner_label(group.footprint_day, plural=len(invited) != 1)
            messages.success(
                request, f"Invited {len(invited)} {kinds}. Their leads have been emailed."
            )
        else:
            messages.info(
                request,
                f"Every {commissioner_label(group.footprint_day)} chosen had already been invited "
                "or has answered.",
            )
    return redirect(group)


@login_required
@require_http_methods(["GET", "POST"])
def membership_respond(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk, respond=True)
    group = membership.group
    member_ccgs = selectors.member_ccgs(group, excluding=membership.ccg_id)
    initial = {"version": membership.version}
    if membership.represented_by_id:
        initial.update(
            answer=services.Answer.REPRESENT, represented_by=membership.represented_by.ods_code
        )
    form = RespondForm(
        request.POST or None,
        member_ccgs=member_ccgs,
        kind_label=membership.ccg.kind_label,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            answered = services.membership_respond(by=request.user, membership=membership, **data)
        except (services.GroupError, ConflictError) as error:
            apply_error(form, error)
        else:
            done = f"Thank you. {membership.ccg.name}'s answer is recorded."
            if answered.is_representation_requested:
                done += (
                    f" {answered.represented_by.name}'s leads are asked to confirm; until then "
                    f"{membership.ccg.name} is not covered."
                )
            messages.success(request, done)
            return redirect(group)
    return render(
        request,
        "oversight/membership_respond.html",
        {
            "form": form,
            "membership": membership,
            "group": group,
            "breadcrumbs": _crumbs(group),
        },
    )


def _representation_answer(request: HttpRequest, pk: int, form_class, answer) -> HttpResponse:
    """Confirm or decline a request to represent (POST from My work; works without JavaScript).
    Only the named representative's leads may (403 for others; 404 if the group is not theirs
    to see). What happened, or why it was refused, is shown at the top of My work."""
    membership = get_membership_for_user(request.user, pk, represent=True)
    # Back to the top of My work, where the message saying what happened is shown.
    back = reverse("workspace:my-work")
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date; try again.")
        return redirect(back)
    try:
        done = answer(by=request.user, membership=membership, **form.cleaned_data)
    except (services.GroupError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, done)
    return redirect(back)


@login_required
@require_POST
def representation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def confirm(**kwargs) -> str:
        m = services.representation_confirm(**kwargs)
        return f"{m.represented_by.name} now represents {m.ccg.name} in the {m.group.name}."

    return _representation_answer(request, pk, RepresentationConfirmForm, confirm)


@login_required
@require_POST
def representation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    def decline(*, membership, **kwargs) -> str:
        name = membership.represented_by.name
        m = services.representation_decline(membership=membership, **kwargs)
        return f"{name} declined to represent {m.ccg.name}. It is invited to answer again."

    return _representation_answer(request, pk, RepresentationDeclineForm, decline)


@login_required
@require_http_methods(["GET", "POST"])
def membership_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk, withdraw=True)
    dependants = services.representation_dependants(membership)
    form = WithdrawForm(request.POST or None, initial={"version": membership.version})
    if request.method == "POST" and form.is_valid():
        try:
            orphans = services.membership_withdraw(
                by=request.user, membership=membership, **form.cleaned_data
            )
        except (services.GroupError, ConflictError) as error:
            apply_error(form, error)
        else:
            note = (
                f" {len(orphans)} CCG(s) lost their representation and are invited again."
                if orphans
                else ""
            )
            messages.success(request, f"{membership.ccg.name} has withdrawn.{note}")
            return redirect(membership.group)
    return render(
        request,
        "oversight/membership_withdraw.html",
        {
            "form": form,
            "membership": membership,
            "dependants": dependants,
            "breadcrumbs": _crumbs(membership.group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = MemberForm(
        request.POST or None,
        group=group,
        initial={"start_date": timezone.localdate(), "voting": "yes"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(by=request.user, group=group, **form.cleaned_data)
        except services.GroupError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{member.full_name} added to the group.")
            return redirect(group)
    return render(
        request,
        "oversight/member_form.html",
        {
            "form": form,
            "group": group,
            "title": "Add a member",
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, write=True)
    group = member.group
    form = MemberEditForm.for_member(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.member_update(by=request.user, member=member, version=version, **data)
        except (services.GroupError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{member.full_name}'s membership saved.")
            return redirect(group)
    return render(
        request,
        "oversight/member_form.html",
        {
            "form": form,
            "group": group,
            "member": member,
            "title": f"Change {member.full_name}",
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
def interest_register(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's register of interests: every entry, current ones first."""
    group = get_group_for_user(request.user, pk)
    today = timezone.localdate()
    interests = selectors.interests_of(group)
    return render(
        request,
        "oversight/interest_register.html",
        {
            "group": group,
            "current": [i for i in interests if i.is_current_on(today)],
            "past": [i for i in interests if not i.is_current_on(today)],
            "can_manage": can_manage_group(request.user, group),
            "breadcrumbs": _crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    form = InterestForm(
        request.POST or None, group=group, initial={"valid_from": timezone.localdate()}
    )
    return form_page(
        request,
        form,
        title="Register an interest",
        group=group,
        breadcrumbs=_crumbs(group),
        save=lambda **data: services.interest_declare(by=request.user, **data),
        success_url=reverse("oversight:interest-register", args=[group.pk]),
        message="Interest added to the register.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def interest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    interest = get_interest_for_user(request.user, pk, write=True)
    group = interest.member.group
    initial = {f: getattr(interest, f) for f in services.INTEREST_FIELDS}
    initial.update(member=interest.member_id, version=interest.version)
    form = InterestEditForm(request.POST or None, group=group, initial=initial)

    def save(*, version, member, **data):
        services.interest_update(by=request.user, interest=interest, version=version, **data)

    return form_page(
        request,
        form,
        title="Change a registered interest",
        group=group,
        breadcrumbs=_crumbs(group),
        save=save,
        success_url=reverse("oversight:interest-register", args=[group.pk]),
        message="Register of interests updated.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request.user, pk, write=True)
    return form_page(
        request,
        SubGroupForm(request.POST or None, group=group),
        title="Set up a delivery sub-group",
        group=group,
        breadcrumbs=_crumbs(group),
        save=lambda **data: services.subgroup_create(by=request.user, group=group, **data),
        success_url=group.get_absolute_url(),
        message="Delivery sub-group set up.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def subgroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subgroup = get_subgroup_for_user(request.user, pk, write=True)
    group = subgroup.group
    initial = {f: getattr(subgroup, f) for f in services.SUBGROUP_FIELDS}
    initial.update(
        lead=subgroup.lead_id,
        members=[m.pk for m in subgroup.members.all()],
        version=subgroup.version,
    )
    return form_page(
        request,
        SubGroupEditForm(request.POST or None, group=group, initial=initial),
        title=f"Change {subgroup.name}",
        group=group,
        breadcrumbs=_crumbs(group),
        save=lambda **data: services.subgroup_update(by=request.user, subgroup=subgroup, **data),
        success_url=group.get_absolute_url(),
        message=f"{subgroup.name} saved.",
    )
