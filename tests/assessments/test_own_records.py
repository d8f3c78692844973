"""A cadre's own records: nothing of a result shows before it is published to them, on any page
or export; once published, "my assessment" links to their own archive and registration form
and shows their moral-round results (group and dimension means, never a ballot)."""

import pytest
from django.urls import reverse

from assessments.models import CadreResult, GradingPolicy, MoralResult
from tests.assessments.test_archive import build_year, head  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(xx, head):  # noqa: F811 - the imported fixture
    """2015 proposed (not published): the cadre's result has composite 91.2345, rank 1."""
    return build_year(xx, 2015, head, stage="proposed")


def _mine(xx, year) -> CadreResult:
    return CadreResult.objects.get(cadre=xx.cadre, year=year)


def test_the_result_page_of_a_proposed_result_is_404_for_the_cadre(client, xx, proposed):
    client.force_login(xx.cadre_user)
    url = reverse("assessments:result_detail", args=[_mine(xx, proposed).pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("assessments:review_file", args=[_mine(xx, proposed).pk]), {"reasons": "x"}
    )
    assert response.status_code == 404


def test_the_result_page_opens_for_the_cadre_once_published(client, xx, proposed):
    GradingPolicy.objects.filter(year=proposed).update(stage="notice")
    client.force_login(xx.cadre_user)
    url = reverse("assessments:result_detail", args=[_mine(xx, proposed).pk])
    assert "91.23" in client.get(url).content.decode()


def test_my_own_archive_page_shows_no_proposed_result(client, xx, proposed):
    client.force_login(xx.cadre_user)
    response = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "91.23" not in page
    assert "2015年度规则说明" not in page
    assert response.context["archive"]["results"] == []


def test_my_own_archive_pdf_shows_no_proposed_result(client, xx, proposed):
    client.force_login(xx.cadre_user)
    response = client.get(reverse("assessments:cadre_archive_pdf", args=[xx.cadre.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response.context["archive"]["results"] == []


@pytest.mark.parametrize("name", ["cadre_registration", "cadre_registration_pdf"])
def test_my_registration_form_shows_no_proposed_result(client, xx, proposed, name):
    client.force_login(xx.cadre_user)
    response = client.get(reverse(f"assessments:{name}", args=[xx.cadre.pk, 2015]))
    assert response.status_code == 200
    assert response.context["section"].result is None
    if name == "cadre_registration":
        assert "91.23" not in response.content.decode()


def test_my_assessment_page_shows_no_proposed_result(client, xx, proposed):
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me")).content.decode()
    assert "91.23" not in page
    assert "88.50" not in page  # not even the closed round's moral score


def test_the_exports_stay_closed_to_the_cadre(client, xx, proposed):
    client.force_login(xx.cadre_user)
    assert client.get(reverse("assessments:results_xlsx", args=[proposed.pk])).status_code == 403
    archive_xlsx = reverse("assessments:cadre_archive_xlsx", args=[xx.cadre.pk])
    assert client.get(archive_xlsx).status_code == 404


def test_the_cadre_opens_no_one_elses_archive(client, xx, proposed):
    client.force_login(xx.cadre_user)
    for name in ("cadre_archive", "cadre_archive_pdf", "cadre_registration"):
        url = reverse(f"assessments:{name}", args=[xx.other_cadre.pk])
        assert client.get(url).status_code == 404, name


def test_my_assessment_links_my_archive_and_registration_pdf_once_published(client, xx, head):  # noqa: F811
    build_year(xx, 2015, head, stage="locked")
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me")).content.decode()
    assert reverse("assessments:cadre_archive", args=[xx.cadre.pk]) in page
    assert reverse("assessments:cadre_registration_pdf", args=[xx.cadre.pk, 2015]) in page
    archive = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk]))
    assert "91.23" in archive.content.decode()
    assert "在所属比例组内排名" not in archive.content.decode()  # no rank in the own view
    pdf = client.get(reverse("assessments:cadre_registration_pdf", args=[xx.cadre.pk, 2015]))
    assert pdf.content.startswith(b"%PDF")


def test_my_assessment_shows_my_moral_round_by_group_and_dimension(client, xx, head):  # noqa: F811
    build_year(xx, 2015, head, stage="notice")
    moral = MoralResult.objects.get(cadre=xx.cadre)
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me")).content.decode()
    assert moral.round.name in page
    for text in ("88.50", "90.10", "87.20", "政治品德 91.30", "个人品德 86.40"):
        assert text in page, text
    assert "ballot_id" not in page
