"""A bulletin is built, published and queued for all its recipients in a fixed number of
queries, however many recipients it has; the bulk outbox keeps the outbox's rules."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from assessments.models import Bulletin, OutboxMessage
from assessments.services import bulletins, outbox
from assessments.services.progress import progress_submit
from assessments.services.targets import target_assign
from cadres.models import Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))
LAST_DAY = dt.date(2015, 10, 31)
# The month-end job: the years, a savepoint for its transaction (a test runs inside one), the
# year's lock, the bulletin's, the content (targets, milestones, reports, inspections,
# warnings), the insert, the recipients (units, leaders), the outbox (queued already?,
# savepoint, insert, release) and the transaction's release.
MONTH_END_QUERIES = 17


@pytest.fixture
def year(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    return year


def townships(xx, year, n: int) -> list[Unit]:
    """``n`` townships with a head's address and a target each; every other one reported."""
    indicator = IndicatorFactory(
        year=year, code="I1", category="industry", method="ratio", unit_kinds=["township"]
    )
    towns = [
        UnitFactory(
            code=f"XX-Q{i}",
            name=f"乡{i}",
            kind=Unit.Kind.TOWNSHIP,
            parent=xx.county,
            head_email=f"Head-{i}@example.gov.cn",
        )
        for i in range(n)
    ]
    when = dt.datetime(2015, 10, 20, 9, tzinfo=SH)
    for i, town in enumerate(towns):
        target = target_assign(indicator=indicator, unit=town, target_value=Decimal(1200))
        if i % 2 == 0:
            progress_submit(
                target=target,
                month=10,
                actual_value=Decimal(100 * i),
                narrative="进展" * 200,
                by=xx.liaison,
                now=when,
            )
    return towns


@pytest.mark.parametrize("n", [3, 30])
def test_the_month_end_bulletin_is_built_published_and_queued_in_fixed_queries(
    xx, year, n, django_assert_num_queries
):
    townships(xx, year, n)
    with django_assert_num_queries(MONTH_END_QUERIES):
        (bulletin,) = bulletins.bulletins_month_end(today=LAST_DAY)
    assert bulletin.status == Bulletin.Status.PUBLISHED
    messages = OutboxMessage.objects.filter(bulletin=bulletin)
    assert sorted(m.recipient_email for m in messages) == sorted(
        f"head-{i}@example.gov.cn" for i in range(n)
    )
    assert len({m.message_id for m in messages}) == n


@pytest.mark.parametrize("n", [3, 30])
def test_publishing_a_draft_queues_every_recipient_in_fixed_queries(
    xx, year, n, django_assert_num_queries
):
    townships(xx, year, n)
    draft = bulletins.bulletin_build(year=year, month=10, today=LAST_DAY)
    # savepoint, the draft's lock, the content (5), the update, the recipients (2), the
    # outbox (4), release
    with django_assert_num_queries(15):
        messages = bulletins.bulletin_publish(bulletin=draft, by=xx.office, today=LAST_DAY)
    assert len(messages) == n


def test_each_recipient_gets_the_texts_rendered_for_them(xx, year):
    """Two renders serve every recipient: each copy is what rendering it for them gives."""
    towns = townships(xx, year, 4)
    towns[1].name = "乡<1>&“东”"
    towns[1].save()
    xx.leader.email = "leader@example.gov.cn"
    xx.leader.first_name = "王&李"
    xx.leader.save()
    with mock.patch.object(bulletins, "render_to_string", wraps=render_to_string) as render:
        (bulletin,) = bulletins.bulletins_month_end(today=LAST_DAY)
    # Two for everyone and two samples, for the text and for the HTML; and the PDF.
    assert render.call_count == 9
    bulletin = Bulletin.objects.select_related("year__county").get(pk=bulletin.pk)
    # As published (PostgreSQL's jsonb gives the stored copy's keys another order).
    content = bulletins.bulletin_content(year=year, month=10, today=LAST_DAY)
    messages = OutboxMessage.objects.filter(bulletin=bulletin)
    assert messages.count() == 5
    for message in messages:
        context = {
            "bulletin": bulletin,
            "c": content,
            "name": message.recipient_name,
            "why": message.reason,
            "unit_id": message.unit_id,
        }
        assert message.body_text == render_to_string("emails/bulletin.txt", context)
        assert message.body_html == render_to_string("emails/bulletin.html", context)
        assert ('class="b-mine"' in message.body_html) is (message.unit_id is not None)
    assert "乡&lt;1&gt;&amp;“东”" in messages.get(unit=towns[1]).body_html
    assert "王&amp;李" in messages.get(unit=None).body_html
    assert "王&李" in messages.get(unit=None).body_text


def test_a_bulletin_without_rows_is_rendered_for_each_recipient(xx, year):
    xx.leader.email = "leader@example.gov.cn"
    xx.leader.save()
    (bulletin,) = bulletins.bulletins_month_end(today=LAST_DAY)
    (message,) = OutboxMessage.objects.filter(bulletin=bulletin)
    assert message.recipient_email == "leader@example.gov.cn"
    context = {
        "bulletin": Bulletin.objects.select_related("year__county").get(pk=bulletin.pk),
        "c": bulletins.bulletin_content(year=year, month=10, today=LAST_DAY),
        "name": message.recipient_name,
        "why": message.reason,
        "unit_id": None,
    }
    assert message.body_text == render_to_string("emails/bulletin.txt", context)
    assert message.body_html == render_to_string("emails/bulletin.html", context)


def _row(year, email: str, key: str = "test:1") -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxMessage.Kind.REMINDER,
        key=key,
        year=year,
        recipient_email=email,
        reason="测试",
        subject="主题",
        body_text="正文",
    )


def test_the_bulk_queue_leaves_out_who_has_the_key_already_and_repeats(year):
    outbox.outbox_queue(
        kind=OutboxMessage.Kind.REMINDER,
        key="test:1",
        year=year,
        recipient_email="a@example.gov.cn",
        recipient_name="",
        reason="测试",
        subject="主题",
        body_text="正文",
    )
    queued = outbox.outbox_queue_many(
        [
            _row(year, "A@example.gov.cn"),
            _row(year, "b@example.gov.cn"),
            _row(year, " B@example.gov.cn"),
            _row(year, "a@example.gov.cn", key="test:2"),
        ]
    )
    assert [(m.key, m.recipient_email) for m in queued] == [
        ("test:1", "b@example.gov.cn"),
        ("test:2", "a@example.gov.cn"),
    ]
    assert all(m.pk and m.message_id for m in queued)
    assert OutboxMessage.objects.count() == 3
    assert OutboxMessage.objects.values("message_id").distinct().count() == 3


def test_a_bad_address_refuses_the_lot(year):
    with pytest.raises(ValidationError):
        outbox.outbox_queue_many([_row(year, "b@example.gov.cn"), _row(year, "not an address")])
    assert not OutboxMessage.objects.exists()


def test_a_recipient_queued_by_another_transaction_meanwhile_is_left_out(year):
    outbox.outbox_queue_many([_row(year, "a@example.gov.cn")])
    # As if the other transaction committed between the check and the insert.
    with mock.patch.object(outbox, "_queued_pairs", return_value=set()):
        queued = outbox.outbox_queue_many(
            [_row(year, "a@example.gov.cn"), _row(year, "c@example.gov.cn")]
        )
    assert [m.recipient_email for m in queued] == ["c@example.gov.cn"]
    assert OutboxMessage.objects.count() == 2
