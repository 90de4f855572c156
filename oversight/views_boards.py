"""Pages for setting up a strategy board from the group it succeeds and carrying its members
forward (issue 16; seed 003). The board's own page is the group page (workspace)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from commissioning.dates import nhs_date
from commissioning.views import form_page

from . import boards
from .forms import BoardCreateForm, CarriedDecideForm
from .permissions import get_carried_for_user, get_group_for_board_setup


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_board_setup(request.user, pk)
    form = BoardCreateForm(
        request.POST or None,
        group=group,
        initial={"version": group.version, "purpose": boards.DEFAULT_PURPOSE},
    )
    systems = list(form.fields["system"].queryset)
    if len(systems) == 1 and not form.is_bound:
        form.initial.update(system=systems[0], name=boards.board_name(systems[0]))
    made: dict = {}

    def save(*, version: int, **data) -> None:
        made["board"] = boards.board_create(by=request.user, group=group, version=version, **data)

    response = form_page(
        request,
        form,
        save=save,
        success_url="/",  # replaced below, once the board exists
        message="The strategy board is set up. Next, decide each member carried forward.",
        title="Set up the strategy board that succeeds this group",
        caption=group.name,
        submit_label="Set up the board",
        intro=[
            "Seed 003: a specialised commissioning strategy board replaces the oversight group "
            "as a workstream programme board of the integrated care system.",
            f"{group.name} closes the day before the board starts; its record stays readable "
            "from the board. Its members on that day are carried forward for you to confirm, "
            "remove or replace.",
        ],
        breadcrumbs=[{"label": group.name, "url": group.get_absolute_url()}],
    )
    if "board" in made:
        response["Location"] = made["board"].get_absolute_url()
    return response


@login_required
@require_http_methods(["GET", "POST"])
def carried_decide(request: HttpRequest, pk: int) -> HttpResponse:
    carried = get_carried_for_user(request.user, pk, write=True)
    board, member = carried.board, carried.member
    form = CarriedDecideForm(
        request.POST or None, board=board, initial={"version": carried.version}
    )

    def save(*, version: int, **data) -> None:
        boards.carried_decide(
            by=request.user, carried=carried, version=version, **boards.decision_args(data)
        )

    since = nhs_date(member.start_date)
    last_day = board.start_date - datetime.timedelta(days=1)
    return form_page(
        request,
        form,
        save=save,
        success_url=board.get_absolute_url(),
        message=f"{member.full_name}: decision saved.",
        title=f"Carry forward {member.full_name}?",
        caption=board.name,
        submit_label="Save the decision",
        intro=[
            f"{member.full_name} ({member.get_role_display()}, {member.organisation}) was a "
            f"member of {board.predecessor} from {since} to its last day, {nhs_date(last_day)}.",
            "Confirmed and replacement members join the board from its first day, "
            f"{nhs_date(board.start_date)}, in the seat you choose.",
        ],
        breadcrumbs=[{"label": board.name, "url": board.get_absolute_url()}],
    )
