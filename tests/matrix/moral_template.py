"""Rows of the permission matrix: the moral-assessment template page and its edit forms.

The world's year has the default template (made here if the moral area has not made it yet)
and no ballot, so the template may still change."""

from assessments.models import MoralTemplate
from assessments.services import moral

from .base import OFFICE_POST, STAFF_READ

WEIGHTS = {"weight_principal": 3, "weight_deputy": 2, "weight_middle": 2, "weight_staff": 1}

ROWS = {
    "assessments:moral_template": ("get", "moral_template", STAFF_READ, {}),
    "assessments:moral_template_settings": (
        "post",
        "moral_template",
        OFFICE_POST,
        {
            "score_good": 100,
            "score_fair": 85,
            "score_fairly_poor": 60,
            "score_poor": 40,
            "weight_superiors": 40,
            "weight_peers": 30,
            "weight_subordinates": 20,
            "weight_public": 10,
            "incompetent_percent": "33.3",
        },
    ),
    "assessments:moral_dimension_create": (
        "post",
        "moral_template",
        OFFICE_POST,
        {"name": "工作作风", "sort_order": 9},
    ),
    "assessments:moral_dimension_update": (
        "post",
        "moral_dimension",
        OFFICE_POST,
        {"name": "政治品德（含政治纪律）", "sort_order": 0},
    ),
    "assessments:moral_dimension_delete": ("post", "moral_dimension", OFFICE_POST, {}),
    "assessments:moral_item_create": (
        "post",
        "moral_dimension",
        OFFICE_POST,
        {"name": "严守政治纪律和政治规矩", "sort_order": 5, **WEIGHTS},
    ),
    "assessments:moral_item_update": (
        "post",
        "moral_item",
        OFFICE_POST,
        {"name": "理想信念坚定", "sort_order": 0, **WEIGHTS},
    ),
    "assessments:moral_item_delete": ("post", "moral_item", OFFICE_POST, {}),
}


def objects(world):
    year = world["year"]
    template = MoralTemplate.objects.filter(year=year).first()
    if template is None:
        template = moral.moral_template_create(year=year)
    dimension = template.dimensions.order_by("sort_order").first()
    return {
        "moral_template": template,
        "moral_dimension": dimension,
        "moral_item": dimension.items.order_by("sort_order").first(),
    }
