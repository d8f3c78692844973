"""The periodic schedules page: the top unit's office changes a job's time or switches it off,
every change recorded; a county's office reads them; bad input changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from assessments.models import ScheduleChange
from cadres.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def installed():
    call_command("setup_schedules", verbosity=0)


@pytest.fixture
def city_office(xx):
    return make_user(Role.OFFICE, xx.county.parent, username="city-office")


def test_the_top_units_office_moves_the_warnings_to_six_and_it_is_recorded(
    client, installed, city_office
):
    client.force_login(city_office)
    response = client.post(
        reverse("assessments:schedule_edit"),
        {"name": "daily early warnings", "enabled": "on", "time": "06:30"},
    )
    assert response.status_code == 302
    task = PeriodicTask.objects.get(name="daily early warnings")
    assert (task.crontab.hour, task.crontab.minute, task.enabled) == ("6", "30", True)
    change = ScheduleChange.objects.get()
    assert (change.before, change.after, change.by) == ("开 · 07:00", "开 · 06:30", city_office)
    page = client.get(reverse("assessments:schedules")).content.decode()
    assert "06:30" in page
    assert "每日预警" in page


def test_an_interval_job_takes_minutes_and_a_job_can_be_switched_off(
    client, installed, city_office
):
    client.force_login(city_office)
    client.post(reverse("assessments:schedule_edit"), {"name": "outbox flush", "every": "5"})
    task = PeriodicTask.objects.get(name="outbox flush")
    assert task.crontab.minute == "*/5"
    assert not task.enabled


@pytest.mark.parametrize(
    "data",
    [
        {"name": "daily early warnings", "time": "25:00", "enabled": "on"},
        {"name": "daily early warnings", "enabled": "on"},
        {"name": "outbox flush", "every": "0", "enabled": "on"},
        {"name": "no such job", "time": "06:00", "enabled": "on"},
    ],
    ids=["bad-time", "no-time", "zero-minutes", "unknown-job"],
)
def test_bad_input_changes_nothing(client, installed, city_office, data):
    client.force_login(city_office)
    before = {t.name: (t.crontab_id, t.enabled) for t in PeriodicTask.objects.all()}
    response = client.post(reverse("assessments:schedule_edit"), data, follow=True)
    assert response.status_code == 200
    assert {t.name: (t.crontab_id, t.enabled) for t in PeriodicTask.objects.all()} == before
    assert not ScheduleChange.objects.exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_a_county_office_reads_the_schedules_but_cannot_change_them(client, installed, xx):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:schedules")).content.decode()
    assert "07:00" in page
    assert reverse("assessments:schedule_edit") not in page
    response = client.post(
        reverse("assessments:schedule_edit"), {"name": "outbox flush", "every": "1"}
    )
    assert response.status_code == 403
    assert PeriodicTask.objects.get(name="outbox flush").crontab.minute == "*/10"
