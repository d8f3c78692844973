"""No constraint name ever reaches a user: every ``Meta.constraints`` rule of every installed
model carries its own translated message, which a form, a service and an import show in place
of Django's "Constraint “…” is violated."."""

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.utils.functional import Promise

CONSTRAINTS = [(model, c) for model in apps.get_models() for c in model._meta.constraints]


def test_the_walk_finds_the_projects_constraints():
    assert len(CONSTRAINTS) > 60
    assert {m._meta.app_label for m, _c in CONSTRAINTS} >= {"cadres", "assessments"}


@pytest.mark.parametrize(
    ("model", "constraint"), CONSTRAINTS, ids=[c.name for _m, c in CONSTRAINTS]
)
def test_every_constraint_has_a_translated_message_of_its_own(model, constraint):
    message = constraint.violation_error_message
    assert message != BaseConstraint.default_violation_error_message, (
        f"{model._meta.label}: give {constraint.name} a violation_error_message"
    )
    assert isinstance(message, Promise), f"{constraint.name}: mark its message with gettext_lazy"
    assert constraint.name not in str(message)
    assert "%(name)s" not in str(message)
