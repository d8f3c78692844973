"""Two confirmations of one unit's quarter at the same moment cannot both pass the 好 cap: the
unit's row is locked while the grades are counted (PostgreSQL; SQLite runs one writer at a
time anyway)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from assessments.models import QuarterRecord
from assessments.services import quarterly as q
from cadres.models import Role
from tests.factories import CadreFactory, YearFactory, make_user

WHEN = dt.datetime(2015, 10, 8, 10, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_cannot_both_pass_the_cap(xx):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serializes writers")
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    principal = CadreFactory(
        unit=xx.township, is_leading=True, is_principal=True, post_kind="principal", name="书记"
    )
    shuji = make_user(Role.CADRE, xx.township, username="shuji", cadre=principal)
    CadreFactory(unit=xx.township, name="王五")  # five assessed: 40 % allows 2 好
    for cadre in (xx.cadre, xx.other_cadre, principal):
        QuarterRecord.objects.create(
            year=year, cadre=cadre, unit=xx.township, quarter=3, work_done="x",
            submitted_at=WHEN, grade="good", graded_at=WHEN,
        )  # fmt: skip
    barrier, outcomes = threading.Barrier(2), []

    def confirm(user):
        try:
            barrier.wait()
            q.quarter_confirm(year=year, unit=xx.township, quarter=3, by=user)
            outcomes.append("confirmed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(u,)) for u in (shuji, xx.office)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["confirmed", "refused"]
    confirmed = QuarterRecord.objects.filter(confirmed_at__isnull=False, grade="good").count()
    assert confirmed <= 2
