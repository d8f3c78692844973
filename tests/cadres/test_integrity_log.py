"""The integrity read log as an office runs it: in the menu of its holders (at no query of its
own), every read labelled by what was read, the sanction form's list of entries logged, and no
integrity page stored by a browser or a proxy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import IntegrityReadLog
from tests.cadres.test_integrity import ARCHIVE, LOG, REPORTER, grant, record

pytestmark = pytest.mark.django_db

LOG_URL = reverse("cadres:integrity_log")


@pytest.fixture
def entry(xx):
    return record(xx.cadre, xx.office, reporter_name="赵举报人")


def _home_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("cadres:cadre_list")).content.decode()
    return len(ctx.captured_queries), page


def test_the_menu_links_the_read_log_for_its_holders_at_no_extra_query(client, xx):
    client.force_login(xx.office)
    before, page = _home_queries(client)
    assert f'href="{LOG_URL}"' not in page
    grant(xx.office, LOG)
    client.force_login(xx.office)
    after, page = _home_queries(client)
    assert f'href="{LOG_URL}"' in page
    assert after == before


def test_a_group_grants_the_menu_item_too(client, xx):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="纪检")
    group.permissions.add(Permission.objects.get(codename=LOG))
    xx.leader.groups.add(group)
    client.force_login(xx.leader)
    assert f'href="{LOG_URL}"' in client.get(reverse("cadres:cadre_list")).content.decode()


def test_a_liaison_holding_the_permission_gets_no_menu_item(client, xx):
    grant(xx.liaison, LOG)
    client.force_login(xx.liaison)
    page = client.get(reverse("cadres:unit_detail", args=[xx.township.pk])).content.decode()
    assert f'href="{LOG_URL}"' not in page


def test_each_read_is_labelled_by_what_was_read(client, xx, entry, in_english):
    grant(xx.office, ARCHIVE, REPORTER, LOG)
    client.force_login(xx.office)
    client.get(reverse("cadres:integrity_archive", args=[xx.cadre.pk]))
    client.get(reverse("cadres:integrity_entry_detail", args=[entry.pk]))
    client.get(reverse("cadres:integrity_entry_detail", args=[entry.pk]), {"show": "reporter"})
    client.get(reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]))
    reads = list(client.get(LOG_URL).context["page"])
    labels = [r.get_action_display() for r in reads]
    assert labels == [
        "The entries listed by the sanction form",
        "Who reported an entry (opened on demand)",
        "One entry (without who reported)",
        "One entry (without who reported)",
        "The archive's list of entries and sanctions",
    ]
    assert "Archive" not in labels  # once translated as 考核档案, another archive


def test_the_sanction_form_logs_its_list_of_entries(client, xx, entry):
    grant(xx.office, ARCHIVE)
    client.force_login(xx.office)
    url = reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"kind": ""})  # refused: the form is shown again, with its list
    reads = IntegrityReadLog.objects.filter(action="sanction_form", cadre=xx.cadre)
    assert reads.count() == 2
    assert {r.user_id for r in reads} == {xx.office.pk}


def test_no_integrity_page_may_be_stored(client, xx, entry):
    grant(xx.office, ARCHIVE, REPORTER, LOG)
    client.force_login(xx.office)
    for url in (
        reverse("cadres:integrity_archive", args=[xx.cadre.pk]),
        reverse("cadres:integrity_entry_detail", args=[entry.pk]),
        reverse("cadres:integrity_entry_detail", args=[entry.pk]) + "?show=reporter",
        reverse("cadres:integrity_entry_create", args=[xx.cadre.pk]),
        reverse("cadres:integrity_sanction_create", args=[xx.cadre.pk]),
        LOG_URL,
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    refused = client.post(reverse("cadres:integrity_entry_status", args=[entry.pk]), {})
    assert "no-store" in refused["Cache-Control"]
