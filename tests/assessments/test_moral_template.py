"""The moral-assessment template page (量化考德模板): office staff change the level scores,
rater-group weights, threshold, dimensions and items until the first ballot of the year is
cast; leaders only read it; another county's template does not exist for them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import MoralDimension, MoralItem, MoralItemWeight, MoralTemplate
from assessments.services import moral
from tests.factories import CadreFactory, YearFactory
from tests.moral_dates import working_year

pytestmark = pytest.mark.django_db

SETTINGS = {
    "score_good": 100,
    "score_fair": 85,
    "score_fairly_poor": 65,
    "score_poor": 30,
    "weight_superiors": 40,
    "weight_peers": 30,
    "weight_subordinates": 20,
    "weight_public": 10,
    "incompetent_percent": "25.0",
}
LOCKED = "不能再修改|can no longer change"  # the lock message, in Chinese or English
WEIGHTS = {"weight_principal": 5, "weight_deputy": 4, "weight_middle": 2, "weight_staff": 1}


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=working_year(), status="in_progress")


@pytest.fixture
def template(year):
    return moral.moral_template_create(year=year)


def _url(name, obj):
    return reverse(f"assessments:{name}", args=[obj.pk])


def _snapshot(template):
    """Everything the template holds, to show that a refused change changed nothing."""
    row = MoralTemplate.objects.filter(pk=template.pk).values().get()
    dims = list(
        MoralDimension.objects.filter(template=template)
        .order_by("pk")
        .values_list("name", "sort_order")
    )
    items = list(
        MoralItem.objects.filter(dimension__template=template)
        .order_by("pk")
        .values_list("dimension_id", "name", "sort_order")
    )
    weights = list(
        MoralItemWeight.objects.filter(item__dimension__template=template)
        .order_by("item_id", "post_kind")
        .values_list("item_id", "post_kind", "weight")
    )
    return row, dims, items, weights


def _first_item(template):
    return MoralItem.objects.filter(dimension__template=template).order_by("pk").first()


def _cast_one_ballot(xx, year):
    """Open a round on the county's township and cast one ballot in it."""
    cadre = CadreFactory(unit=xx.township, is_leading=True, post_kind="principal")
    today = timezone.localdate()
    round_ = moral.moral_round_open(
        year=year,
        name="2015年度考德",
        units=[xx.township],
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=5),
    )
    [code] = moral.ballot_codes_issue(round_=round_, unit=xx.township, group="peers", count=1)
    items = MoralItem.objects.filter(dimension__template__year=year)
    moral.ballot_cast(
        code=code.code,
        answers={cadre.pk: {"levels": {i.pk: "good" for i in items}, "judgement": "competent"}},
    )
    return round_


# The page ----------------------------------------------------------------------------------


def test_moral_home_links_to_the_template_page(client, xx, template):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:moral_home", args=[template.year_id]))
    assert _url("moral_template", template) in page.text


def test_office_sees_the_whole_template_with_its_edit_forms(client, xx, template):
    client.force_login(xx.office)
    page = client.get(_url("moral_template", template))
    assert page.status_code == 200
    for text in (
        "政治品德",
        "个人品德",
        "关键时刻、急难险重任务中的表现",
        "管好配偶子女和身边人员",
    ):
        assert text in page.text
    assert _url("moral_template_settings", template) in page.text
    item = MoralItem.objects.get(dimension__template=template, code="P2")
    assert _url("moral_rows_save", template) in page.text  # every row in one form
    assert f'name="item{item.pk}-weight_principal" value="4"' in page.text  # P2, a principal
    assert 'id="locked"' not in page.text


def test_leader_reads_the_template_without_forms(client, xx, template):
    client.force_login(xx.leader)
    page = client.get(_url("moral_template", template))
    assert page.status_code == 200
    assert "关键时刻、急难险重任务中的表现" in page.text
    assert 'action="/assess/moral/' not in page.text
    assert _url("moral_template_settings", template) not in page.text


def test_leader_may_not_change_anything(client, xx, template):
    client.force_login(xx.leader)
    item = _first_item(template)
    before = _snapshot(template)
    for name, obj, data in [
        ("moral_template_settings", template, SETTINGS),
        ("moral_dimension_create", template, {"name": "工作作风", "sort_order": 9}),
        ("moral_dimension_update", item.dimension, {"name": "改名", "sort_order": 0}),
        ("moral_dimension_delete", item.dimension, {}),
        ("moral_item_create", item.dimension, {"name": "新子项", "sort_order": 9, **WEIGHTS}),
        ("moral_item_update", item, {"name": "改名", "sort_order": 0, **WEIGHTS}),
        ("moral_item_delete", item, {}),
    ]:
        assert client.post(_url(name, obj), data).status_code == 403, name
    assert _snapshot(template) == before


def test_another_countys_template_is_not_found(client, pq, template):
    client.force_login(pq.office)
    item = _first_item(template)
    before = _snapshot(template)
    assert client.get(_url("moral_template", template)).status_code == 404
    for name, obj, data in [
        ("moral_template_settings", template, SETTINGS),
        ("moral_dimension_create", template, {"name": "工作作风", "sort_order": 9}),
        ("moral_dimension_update", item.dimension, {"name": "改名", "sort_order": 0}),
        ("moral_dimension_delete", item.dimension, {}),
        ("moral_item_create", item.dimension, {"name": "新子项", "sort_order": 9, **WEIGHTS}),
        ("moral_item_update", item, {"name": "改名", "sort_order": 0, **WEIGHTS}),
        ("moral_item_delete", item, {}),
    ]:
        assert client.post(_url(name, obj), data).status_code == 404, name
    assert _snapshot(template) == before


def _template_with_items(year, count):
    """The default template of ``year`` cut down to its first ``count`` items."""
    template = moral.moral_template_create(year=year)
    keep = MoralItem.objects.filter(dimension__template=template).order_by(
        "dimension__sort_order", "sort_order"
    )[:count]
    MoralItem.objects.filter(dimension__template=template).exclude(
        pk__in=[i.pk for i in keep]
    ).delete()
    return template


@pytest.mark.parametrize("count", [3, 10])
def test_template_page_takes_the_same_queries_for_3_or_10_items(
    client, xx, django_assert_num_queries, count
):
    template = _template_with_items(YearFactory(county=xx.county, year=2016), count)
    assert MoralItem.objects.filter(dimension__template=template).count() == count
    client.force_login(xx.office)
    # session, user, account; the template in the user's scope; the template's 4 reads
    # (template, dimensions, items, weights); whether a ballot was cast with it.
    with django_assert_num_queries(10):  # 10: with the year switcher
        page = client.get(_url("moral_template", template))
    assert page.status_code == 200


# Editing -----------------------------------------------------------------------------------


def test_office_saves_scores_weights_and_threshold(client, xx, template):
    client.force_login(xx.office)
    response = client.post(_url("moral_template_settings", template), SETTINGS)
    assert response.status_code == 302
    assert response["Location"] == _url("moral_template", template) + "#settings"
    template.refresh_from_db()
    assert (template.score_fair, template.score_fairly_poor, template.score_poor) == (85, 65, 30)
    assert [template.group_weight(g) for g in ("superiors", "peers", "subordinates", "public")] == [
        40,
        30,
        20,
        10,
    ]
    assert template.incompetent_share == Decimal("0.250")


def test_group_weights_not_adding_up_to_100_are_refused_and_nothing_changes(client, xx, template):
    client.force_login(xx.office)
    before = _snapshot(template)
    response = client.post(
        _url("moral_template_settings", template), {**SETTINGS, "weight_public": 20}
    )
    assert response.status_code == 200
    assert re.search("之和为110|add up to 110", response.text)
    assert _snapshot(template) == before

    with pytest.raises(ValidationError, match="恰好为100|exactly 100"):
        moral.template_settings_update(
            template=template,
            score_good=100,
            score_fair=80,
            score_fairly_poor=60,
            score_poor=40,
            weight_superiors=30,
            weight_peers=30,
            weight_subordinates=20,
            weight_public=10,
            incompetent_share=Decimal("0.333"),
        )
    assert _snapshot(template) == before


def test_level_scores_must_go_down_from_good_to_poor(template):
    before = _snapshot(template)
    with pytest.raises(ValidationError, match="依次递减|go down"):
        moral.template_settings_update(
            template=template,
            score_good=80,
            score_fair=90,
            score_fairly_poor=60,
            score_poor=40,
            weight_superiors=30,
            weight_peers=30,
            weight_subordinates=20,
            weight_public=20,
            incompetent_share=Decimal("0.333"),
        )
    assert _snapshot(template) == before


def test_office_renames_a_dimension_and_adds_one_with_an_item(client, xx, template):
    client.force_login(xx.office)
    political = MoralDimension.objects.get(template=template, code="political")
    response = client.post(
        _url("moral_dimension_update", political), {"name": "政治品德（政治纪律）", "sort_order": 0}
    )
    assert response.status_code == 302
    political.refresh_from_db()
    assert political.name == "政治品德（政治纪律）"

    response = client.post(
        _url("moral_dimension_create", template), {"name": "工作作风", "sort_order": 5}
    )
    assert response.status_code == 302
    style = MoralDimension.objects.get(template=template, name="工作作风")
    assert style.code not in {"political", "social", "professional", "family", "personal"}
    page = client.get(_url("moral_template", template))
    assert re.search("不列入测评票|not on the ballot", page.text)

    response = client.post(
        _url("moral_item_create", style),
        {"name": "深入基层，察实情办实事", "sort_order": 0, **WEIGHTS},
    )
    assert response.status_code == 302
    item = MoralItem.objects.get(dimension=style)
    assert item.name == "深入基层，察实情办实事"
    assert item.code
    assert dict(item.weights.values_list("post_kind", "weight")) == {
        "principal": 5,
        "deputy": 4,
        "middle": 2,
        "staff": 1,
    }
    assert response["Location"].endswith(f"#i{item.pk}")


def test_office_changes_an_items_name_and_weights(client, xx, template):
    client.force_login(xx.office)
    item = MoralItem.objects.get(dimension__template=template, code="W2")
    response = client.post(
        _url("moral_item_update", item),
        {"name": "对待个人名利和进退留转的态度", "sort_order": 3, **WEIGHTS},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.sort_order, item.code) == ("对待个人名利和进退留转的态度", 3, "W2")
    assert dict(item.weights.values_list("post_kind", "weight")) == {
        "principal": 5,
        "deputy": 4,
        "middle": 2,
        "staff": 1,
    }
    assert MoralItemWeight.objects.filter(item=item).count() == 4


def test_an_item_weight_below_1_is_refused_and_nothing_changes(client, xx, template):
    client.force_login(xx.office)
    item = _first_item(template)
    before = _snapshot(template)
    response = client.post(
        _url("moral_item_update", item),
        {"name": "改名", "sort_order": 0, **WEIGHTS, "weight_staff": 0},
    )
    assert response.status_code == 200
    assert "table-danger" in response.text  # the row's errors, shown under it
    assert _snapshot(template) == before
    with pytest.raises(ValidationError):
        moral.item_save(
            dimension=item.dimension,
            item=item,
            name="改名",
            sort_order=0,
            weights={"principal": 1, "deputy": 1, "middle": 1},
        )
    assert _snapshot(template) == before


def test_two_dimensions_may_not_share_a_name(client, xx, template):
    client.force_login(xx.office)
    before = _snapshot(template)
    response = client.post(
        _url("moral_dimension_create", template), {"name": "社会公德", "sort_order": 9}
    )
    assert response.status_code == 200
    assert re.search("同名|already has a dimension", response.text)
    assert _snapshot(template) == before


def test_office_deletes_an_item_and_a_dimension_with_its_items(client, xx, template):
    client.force_login(xx.office)
    item = MoralItem.objects.get(dimension__template=template, code="S2")
    assert client.post(_url("moral_item_delete", item)).status_code == 302
    assert not MoralItem.objects.filter(pk=item.pk).exists()

    family = MoralDimension.objects.get(template=template, code="family")
    assert client.post(_url("moral_dimension_delete", family)).status_code == 302
    assert not MoralDimension.objects.filter(pk=family.pk).exists()
    assert MoralItem.objects.filter(dimension__template=template).count() == 7


def test_the_template_keeps_at_least_one_item(template):
    dimensions = list(template.dimensions.order_by("sort_order"))
    for dimension in dimensions[1:]:
        moral.dimension_delete(dimension=dimension)
    last = dimensions[0]
    first, second = last.items.order_by("sort_order")
    moral.item_delete(item=first)
    before = _snapshot(template)
    with pytest.raises(ValidationError, match="至少|at least one item"):
        moral.item_delete(item=second)
    with pytest.raises(ValidationError, match="至少|at least one item"):
        moral.dimension_delete(dimension=last)
    assert _snapshot(template) == before
    # An empty dimension may go whatever the others hold.
    empty = moral.dimension_save(template=template, name="工作作风", sort_order=9)
    moral.dimension_delete(dimension=empty)
    assert not MoralDimension.objects.filter(pk=empty.pk).exists()


# Locked once ballots exist -----------------------------------------------------------------


def test_every_change_is_refused_once_a_ballot_is_cast(client, xx, year, template):
    _cast_one_ballot(xx, year)
    item = _first_item(template)
    dimension = item.dimension
    before = _snapshot(template)
    refusals = [
        lambda: moral.template_settings_update(
            template=template,
            score_good=100,
            score_fair=90,
            score_fairly_poor=60,
            score_poor=40,
            weight_superiors=30,
            weight_peers=30,
            weight_subordinates=20,
            weight_public=20,
            incompetent_share=Decimal("0.5"),
        ),
        lambda: moral.dimension_save(template=template, name="工作作风", sort_order=9),
        lambda: moral.dimension_save(
            template=template, dimension=dimension, name="改名", sort_order=0
        ),
        lambda: moral.dimension_delete(dimension=dimension),
        lambda: moral.item_save(
            dimension=dimension,
            name="新子项",
            sort_order=9,
            weights={"principal": 1, "deputy": 1, "middle": 1, "staff": 1},
        ),
        lambda: moral.item_save(
            dimension=dimension,
            item=item,
            name="改名",
            sort_order=0,
            weights={"principal": 1, "deputy": 1, "middle": 1, "staff": 1},
        ),
        lambda: moral.item_delete(item=item),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match=LOCKED):
            refuse()
    assert _snapshot(template) == before

    client.force_login(xx.office)
    page = client.get(_url("moral_template", template))
    assert 'id="locked"' in page.text
    assert 'action="/assess/moral/' not in page.text
    response = client.post(_url("moral_template_settings", template), SETTINGS)
    assert response.status_code == 200
    assert re.search(LOCKED, response.text)
    response = client.post(_url("moral_item_delete", item), follow=True)
    assert re.search(LOCKED, response.text)
    assert _snapshot(template) == before


def test_a_round_without_ballots_leaves_the_template_open(client, xx, year, template):
    today = timezone.localdate()
    moral.moral_round_open(
        year=year,
        name="2015年度考德",
        units=[xx.township],
        opens_on=today,
        closes_on=today + dt.timedelta(days=5),
    )
    assert not moral.template_in_use(template)
    client.force_login(xx.office)
    assert client.post(_url("moral_template_settings", template), SETTINGS).status_code == 302
