"""The template's table saves every row in one form: edits in several rows are kept together
(saving one row no longer drops the others), and a refused row keeps nothing of the save while
every row comes back as typed."""

import pytest
from django.urls import reverse

from assessments.models import MoralDimension, MoralItem
from tests.assessments.test_moral_template import _snapshot, template, year  # noqa: F401

pytestmark = pytest.mark.django_db


def _rows(template):  # noqa: F811 - the fixture's name
    """The table's fields as the page fills them in (every dimension and item row)."""
    data = {}
    for d in MoralDimension.objects.filter(template=template):
        data |= {f"dim{d.pk}-name": d.name, f"dim{d.pk}-sort_order": d.sort_order}
        for item in MoralItem.objects.filter(dimension=d).prefetch_related("weights"):
            data |= {f"item{item.pk}-name": item.name, f"item{item.pk}-sort_order": item.sort_order}
            for w in item.weights.all():
                data[f"item{item.pk}-weight_{w.post_kind}"] = w.weight
    return data


def _url(template):  # noqa: F811
    return reverse("assessments:moral_rows_save", args=[template.pk])


def test_the_page_has_one_form_for_every_row(client, xx, template):  # noqa: F811
    client.force_login(xx.office)
    page = client.get(reverse("assessments:moral_template", args=[template.pk])).text
    assert page.count(f'action="{_url(template)}"') == 1
    item = MoralItem.objects.filter(dimension__template=template).first()
    assert f'name="item{item.pk}-name"' in page
    assert 'form="rows"' in page
    assert f'action="{reverse("assessments:moral_item_update", args=[item.pk])}"' not in page


def test_edits_in_several_rows_are_saved_together(client, xx, template):  # noqa: F811
    client.force_login(xx.office)
    political = MoralDimension.objects.get(template=template, code="political")
    first, second = MoralItem.objects.filter(dimension__template=template).order_by("pk")[:2]
    data = _rows(template) | {
        f"dim{political.pk}-name": "政治品德（政治纪律）",
        f"item{first.pk}-name": "理想信念坚定，对党忠诚",
        f"item{second.pk}-weight_staff": 3,
    }
    response = client.post(_url(template), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#dimensions")
    political.refresh_from_db()
    first.refresh_from_db()
    assert political.name == "政治品德（政治纪律）"
    assert first.name == "理想信念坚定，对党忠诚"
    assert second.weights.get(post_kind="staff").weight == 3


def test_a_refused_row_keeps_nothing_and_every_row_comes_back_as_typed(
    client,
    xx,
    template,  # noqa: F811
):
    client.force_login(xx.office)
    before = _snapshot(template)
    political, social = MoralDimension.objects.filter(template=template).order_by("sort_order")[:2]
    item = MoralItem.objects.filter(dimension__template=template).first()
    data = _rows(template) | {
        f"item{item.pk}-name": "改了名的条目",
        f"dim{social.pk}-name": political.name,  # two dimensions of one name: refused
    }
    response = client.post(_url(template), data)
    assert response.status_code == 200
    assert _snapshot(template) == before
    assert 'value="改了名的条目"' in response.text  # the other row as typed
    assert "table-danger" in response.text  # the refused row's errors under it


def test_a_leader_cannot_save_the_rows(client, xx, template):  # noqa: F811
    client.force_login(xx.leader)
    assert client.post(_url(template), _rows(template)).status_code == 403
