"""Committee pages (issue 15): the Commissioning Committee and the primary care joint
committees, with their members, quorum rule and meetings. The meetings themselves are the
meeting pages every group uses (views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from commissioning.concurrency import ConflictError
from commissioning.forms import apply_error
from commissioning.views import form_page
from oversight import committees as committee_services
from oversight import services as oversight_services
from oversight.forms import MemberEditForm, MemberForm
from oversight.permissions import can_manage_committee, get_committee_for_user

from . import selectors, services
from .forms import CommitteeForm, MeetingForm
from .permissions import get_committee_member_for_user


def _crumbs(committee=None) -> list[dict]:
    crumbs = [{"label": "Committees", "url": reverse("meetings:committee-list")}]
    if committee is not None:
        crumbs.append({"label": committee.name, "url": committee.get_absolute_url()})
    return crumbs


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = selectors.committees_for(request.user)
    return render(
        request,
        "meetings/committee_list.html",
        {"committees": committees},
    )


@login_required
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_committee_for_user(request.user, pk)
    meetings = Paginator(selectors.meetings_of(committee), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/committee_detail.html",
        {
            "committee": committee,
            "ccgs": list(committee.ccgs.order_by("name")),
            "members": selectors.committee_members(committee),
            "page": meetings,
            "query": "",
            "can_manage": can_manage_committee(request.user, committee),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_committee_for_user(request.user, pk, write=True)
    initial = {f: getattr(committee, f) for f in committee_services.COMMITTEE_FIELDS}
    form = CommitteeForm(request.POST or None, initial={**initial, "version": committee.version})
    return form_page(
        request,
        form,
        title="Change the committee's terms",
        breadcrumbs=_crumbs(committee),
        save=lambda **data: committee_services.committee_update(
            by=request.user, committee=committee, **data
        ),
        success_url=committee.get_absolute_url(),
        message="Committee saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_committee_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST or None, initial={"title": f"{committee.name} meeting"})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                by=request.user, group=committee, **form.cleaned_data
            )
        except (services.MeetingError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, "Meeting scheduled. Add its agenda items next.")
            return redirect(meeting)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Schedule a meeting", "breadcrumbs": _crumbs(committee)},
    )


def _member_page(request, form, committee, title, member=None) -> HttpResponse:
    return render(
        request,
        "oversight/member_form.html",
        {
            "form": form,
            "group": committee,
            "member": member,
            "title": title,
            "breadcrumbs": _crumbs(committee),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = get_committee_for_user(request.user, pk, write=True)
    form = MemberForm(
        request.POST or None,
        group=committee,
        initial={"start_date": timezone.localdate(), "voting": "yes"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = oversight_services.member_add(
                by=request.user, group=committee, **form.cleaned_data
            )
        except oversight_services.GroupError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{member.full_name} added to the committee.")
            return redirect(committee)
    return _member_page(request, form, committee, "Add a member")


@login_required
@require_http_methods(["GET", "POST"])
def committee_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_committee_member_for_user(request.user, pk, write=True)
    committee = member.committee
    form = MemberEditForm.for_member(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            oversight_services.member_update(
                by=request.user, member=member, version=version, **data
            )
        except (oversight_services.GroupError, ConflictError) as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{member.full_name}'s membership saved.")
            return redirect(committee)
    return _member_page(request, form, committee, f"Change {member.full_name}", member)
