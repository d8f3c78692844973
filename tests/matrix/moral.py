"""Rows of the permission matrix: moral assessment (template, rounds, codes, slips, results).

The public ballot (``ballot:*``) needs no login: it is in ``PUBLIC`` of test_permissions.py.
"""

import datetime as dt

from assessments.services import moral

from .base import OFFICE_ONLY, OFFICE_POST, STAFF_READ

ROWS = {
    "assessments:moral_home": ("get", "year", STAFF_READ, {}),
    "assessments:moral_template_create": ("post", "year", OFFICE_POST, {}),
    "assessments:moral_round_create": ("get", "year", OFFICE_ONLY, {}),
    "assessments:moral_round": ("get", "moral_round", STAFF_READ, {}),
    "assessments:moral_codes_issue": (
        "post",
        "moral_round",
        OFFICE_POST,
        {"group": "peers", "count": 2},
    ),
    "assessments:moral_slips": ("get", "moral_round", OFFICE_ONLY, {}),
    "assessments:moral_round_close": ("post", "moral_round", OFFICE_POST, {}),
}


def objects(world):
    year = world["year"]
    moral.moral_template_create(year=year)
    round_ = moral.moral_round_open(
        year=year,
        name="2015年度考德",
        units=[world["unit"]],
        opens_on=dt.date(2015, 12, 1),
        closes_on=dt.date(2015, 12, 20),
    )
    moral.ballot_codes_issue(round_=round_, unit=world["unit"], group="peers", count=3)
    return {"moral_round": round_}
