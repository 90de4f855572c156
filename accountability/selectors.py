"""Reads the RACI pages assemble."""

from .models import RaciActivity, RaciCell, RaciMatrix, RaciParty

ROW_MODELS: dict[str, type[RaciActivity] | type[RaciParty]] = {
    "activity": RaciActivity,
    "party": RaciParty,
}


def raci_grid(group):
    """(matrix, live activities, live parties, {(activity id, party id): letter}); the matrix
    is None, and the rest empty, if the group has none."""
    matrix = RaciMatrix.objects.filter(group=group).first()
    if matrix is None:
        return None, [], [], {}
    activities = list(matrix.activities.filter(archived=False))
    parties = list(matrix.parties.filter(archived=False))
    cells = {
        (c.activity_id, c.party_id): c.value
        for c in RaciCell.objects.filter(activity__in=activities, party__in=parties)
    }
    return matrix, activities, parties, cells


def live_row(group, kind: str, pk: int) -> RaciActivity | RaciParty | None:
    """The group's unarchived activity or party (`kind`) `pk`, if there is one."""
    model = ROW_MODELS.get(kind)
    if model is None:
        return None
    return model.objects.filter(pk=pk, matrix__group=group, archived=False).first()
