"""Rows of the permission matrix: organization, years and catalog.

Each row: url name -> (method, object key or None, {role: status}, POST data).
``objects(world)`` adds the objects these rows need to the world.
"""

from tests.factories import IndicatorFactory

from .base import OFFICE_ONLY, OFFICE_POST, STAFF_READ

ROWS = {
    "home": ("get", None, {"office": 302, "leader": 302, "liaison": 302, "cadre": 302}, {}),
    "cadres:unit_list": ("get", None, STAFF_READ, {}),
    "cadres:unit_create": ("get", None, OFFICE_ONLY, {}),
    "cadres:unit_detail": (
        "get",
        "unit",
        {"office": 200, "leader": 200, "liaison": 200, "cadre": 403},
        {},
    ),
    "cadres:unit_children": ("get", "unit", STAFF_READ, {}),
    "cadres:unit_edit": ("get", "unit", OFFICE_ONLY, {}),
    "cadres:cadre_list": ("get", None, STAFF_READ, {}),
    "cadres:cadre_create": ("get", None, OFFICE_ONLY, {}),
    "cadres:cadre_detail": (
        "get",
        "cadre",
        {"office": 200, "leader": 200, "liaison": 403, "cadre": 302},
        {},
    ),
    "cadres:cadre_edit": ("get", "cadre", OFFICE_ONLY, {}),
    "cadres:cadre_move": ("get", "cadre", OFFICE_ONLY, {}),
    "assessments:me": (
        "get",
        None,
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 200},
        {},
    ),
    "assessments:overview": ("get", None, STAFF_READ, {}),
    "assessments:year_list": ("get", None, STAFF_READ, {}),
    "assessments:year_create": ("get", None, OFFICE_ONLY, {}),
    "assessments:catalog": (
        "get",
        "year",
        {"office": 200, "leader": 200, "liaison": 200, "cadre": 403},
        {},
    ),
    "assessments:year_edit": ("get", "year", OFFICE_ONLY, {}),
    "assessments:year_status": ("post", "year", OFFICE_POST, {"status": "closed"}),
    "assessments:year_copy": ("get", "year", OFFICE_ONLY, {}),
    "assessments:weights_edit": ("get", "year", OFFICE_ONLY, {}),
    "assessments:indicator_create": ("get", "year", OFFICE_ONLY, {}),
    "assessments:indicator_edit": ("get", "indicator", OFFICE_ONLY, {}),
    "assessments:indicator_delete": ("post", "indicator", OFFICE_POST, {}),
}


def objects(world):
    return {"indicator": IndicatorFactory(year=world["year"])}
