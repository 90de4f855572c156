"""The application windows seed 002 gives (its "Implementation timetable" and "Arrangements for
2015/16"): joint proposals to the regional office by 30 January 2015 and delegated proposals by
5 January 2015, signed off on 16 February 2015, both going live on 1 April 2015; delegated
proposals for 1 April 2016 due by 1 June 2015 (budgets form part of CCG allocations). Later
years are added by national admins. Joint arrangements after 2015/16 have no national window
("business as usual"): a national admin adds one where a region sets a date."""

import datetime

from .models import ApplicationWindow, Model

SOURCE_TIMETABLE = "Seed 002, Implementation timetable"
SOURCE_2016 = "Seed 002, Arrangements for 2015/16"
SEED_WINDOWS = [
    (Model.JOINT, datetime.date(2015, 4, 1), datetime.date(2015, 1, 30), None, SOURCE_TIMETABLE),
    (
        Model.DELEGATED,
        datetime.date(2015, 4, 1),
        datetime.date(2015, 1, 5),
        datetime.date(2015, 2, 16),
        SOURCE_TIMETABLE,
    ),
    (Model.DELEGATED, datetime.date(2016, 4, 1), datetime.date(2015, 6, 1), None, SOURCE_2016),
]


def windows_seed() -> int:
    """Create the seed's windows that are missing. Idempotent; returns how many it made."""
    made = 0
    for model, go_live_on, submit_by, sign_off_on, source in SEED_WINDOWS:
        _, created = ApplicationWindow.objects.get_or_create(
            model=model,
            go_live_on=go_live_on,
            archived=False,
            defaults={"submit_by": submit_by, "sign_off_on": sign_off_on, "source": source},
        )
        made += created
    return made
