"""The monthly bulletin (月度通报): built from the month's progress, published once, sent to
unit heads and leaders by email with an A4 PDF."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import uuid
from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _

from cadres.models import Role, Unit
from cadres.scope import ancestor_paths
from kaohe.lib.rendering import split_at_insertions

from ..models import AssessmentYear, Bulletin, EarlyWarning, Inspection, OutboxMessage, Target
from ..selectors.progress import counted_color, progress_mean, status_counts, target_statuses
from .outbox import outbox_dispatch, outbox_queue_many

logger = logging.getLogger(__name__)

KIND_ORDER = [Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE]
AHEAD_PER_KIND = 3


def month_end(year: AssessmentYear, month: int) -> dt.date:
    return dt.date(year.year, month, calendar.monthrange(year.year, month)[1])


def _d(value: Decimal | None, places: int = 4) -> str | None:
    return None if value is None else str(round(value, places))


def bulletin_content(*, year: AssessmentYear, month: int, today: dt.date) -> dict:
    """Everything the bulletin says, as plain data (kept as the published snapshot).
    A unit's progress is the mean of min(actual / plan, 1) over its numeric targets."""
    targets = list(
        Target.objects.filter(year=year).select_related("indicator", "unit").order_by("unit__path")
    )
    statuses = target_statuses(targets, year=year, month=month, today=today)
    units: dict[int, dict] = {}
    for target in targets:
        status = statuses[target.pk]
        unit = target.unit
        row = units.setdefault(
            unit.pk,
            {
                "unit_id": unit.pk,
                "name": unit.name,
                "kind": unit.kind,
                "colors": Counter(),
                "statuses": [],
                "lagging": [],
            },
        )
        row["colors"][counted_color(status.color)] += 1
        row["statuses"].append(status)
        if status.needs_warning:
            row["lagging"].append(
                {
                    "indicator": target.indicator.name,
                    "color": status.color,
                    "ratio": _d(status.ratio),
                    "plan": _d(status.plan, 2),
                    "actual": _d(status.actual, 2),
                    "measure": target.measure,
                }
            )
    kinds = []
    for kind in KIND_ORDER:
        rows = [r for r in units.values() if r["kind"] == kind]
        for r in rows:
            r["progress"] = progress_mean(r["statuses"])
        rows.sort(key=lambda r: (r["progress"] is None, -(r["progress"] or 0), r["name"]))
        previous, rank = None, 0
        for position, r in enumerate(rows, 1):
            if r["progress"] != previous:
                rank, previous = position, r["progress"]
            r["rank"] = rank
        if rows:
            kinds.append(
                {
                    "kind": kind,
                    "label": str(Unit.Kind(kind).label),
                    "units": [
                        {
                            "unit_id": r["unit_id"],
                            "name": r["name"],
                            "rank": r["rank"],
                            "progress": _d(r["progress"]),
                            "colors": dict(r["colors"]),
                            "lagging": r["lagging"],
                        }
                        for r in rows
                    ],
                    "ahead": [
                        r["name"]
                        for r in rows[:AHEAD_PER_KIND]
                        if r["progress"] is not None and not r["lagging"]
                    ],
                }
            )
    colors = status_counts(statuses.values())
    county_progress = progress_mean(statuses.values())
    first = dt.date(year.year, month, 1)
    last = month_end(year, month)
    inspections = dict(
        Inspection.objects.filter(year=year, held_on__range=(first, last))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    warnings = EarlyWarning.objects.filter(year=year).aggregate(
        issued=Count("pk", filter=Q(issued_on__range=(first, last))),
        closed=Count("pk", filter=Q(closed_on__range=(first, last))),
        open=Count("pk", filter=~Q(status=EarlyWarning.Status.CLOSED)),
    )
    return {
        "year": year.year,
        "month": month,
        "county": year.county.name,
        "as_of": min(last, today).isoformat(),
        "summary": {
            "units": len(units),
            "targets": len(targets),
            "progress": _d(county_progress),
            "colors": colors,
        },
        "kinds": kinds,
        "lagging_units": sorted({r["name"] for r in units.values() if r["lagging"]}),
        "inspections": {k: inspections.get(k, 0) for k in Inspection.Kind.values},
        "warnings": {k: warnings[k] for k in ("issued", "closed", "open")},
    }


def _require_draft(bulletin: Bulletin) -> None:
    if bulletin.status == Bulletin.Status.PUBLISHED:
        raise ValidationError(_("A published bulletin cannot change."))


def _require_begun(year: AssessmentYear, month: int, today: dt.date) -> None:
    if not 1 <= month <= 12:
        raise ValidationError({"month": _("Months run from 1 to 12.")})
    if (year.year, month) > (today.year, today.month):
        raise ValidationError(_("A bulletin cannot be built for a month that has not begun."))


@transaction.atomic
def bulletin_build(*, year: AssessmentYear, month: int, today: dt.date | None = None) -> Bulletin:
    """Create or refresh the draft bulletin of a month."""
    today = today or timezone.localdate()
    _require_begun(year, month, today)
    # The year's row orders two builds of one month (two clicks, send_bulletin twice): the
    # second waits, then refreshes the first's draft or is refused if it was published.
    AssessmentYear.objects.select_for_update(no_key=True).filter(pk=year.pk).first()
    bulletin = Bulletin.objects.select_for_update().filter(year=year, month=month).first()
    if bulletin is None:
        bulletin = Bulletin(year=year, month=month)
    else:
        _require_draft(bulletin)
    bulletin.content = bulletin_content(year=year, month=month, today=today)
    bulletin.built_at = timezone.now()
    bulletin.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            bulletin.save()
    except IntegrityError as error:  # a build without the lock (another database) won
        raise ValidationError(_("This month's bulletin was just built by someone else.")) from error
    return bulletin


@transaction.atomic
def bulletin_set_foreword(*, bulletin: Bulletin, foreword: str) -> Bulletin:
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require_draft(bulletin)
    bulletin.foreword = foreword.strip()
    bulletin.save(update_fields=["foreword"])
    return bulletin


def render_bulletin_pdf(bulletin: Bulletin) -> bytes | None:
    """The bulletin as an A4 PDF (WeasyPrint, CJK fonts); None when WeasyPrint or its system
    libraries are not installed (the email then goes without the attachment)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):
        logger.warning("WeasyPrint is not available: bulletin %s has no PDF", bulletin.pk)
        return None
    html = render_to_string(
        "assessments/bulletins/pdf.html", {"bulletin": bulletin, "c": bulletin.content}
    )
    return HTML(string=html).write_pdf()


def bulletin_recipients(
    year: AssessmentYear, content: dict
) -> list[tuple[str, str, str, Unit | None]]:
    """(email, name, why, unit) for the heads of the units in the bulletin and the county's
    leaders with an email address."""
    recipients: list[tuple[str, str, str, Unit | None]] = []
    unit_ids = [u["unit_id"] for k in content["kinds"] for u in k["units"]]
    for unit in Unit.objects.filter(pk__in=unit_ids).exclude(head_email="").order_by("path"):
        recipients.append(
            (
                unit.head_email,
                _("Head of %(unit)s") % {"unit": unit.name},
                _("you are the head of %(unit)s, a unit assessed this year") % {"unit": unit.name},
                unit,
            )
        )
    leaders = (
        get_user_model()
        .objects.filter(
            account__role=Role.LEADER,
            account__unit__path__in=ancestor_paths(year.county.path) + [year.county.path],
        )
        .exclude(email="")
    )
    for user in leaders.distinct():
        recipients.append(
            (
                user.email,
                user.get_full_name() or user.username,
                _("you are a leader of %(county)s") % {"county": year.county.name},
                None,
            )
        )
    return recipients


@transaction.atomic
def bulletin_publish(
    *, bulletin: Bulletin, by=None, today: dt.date | None = None
) -> list[OutboxMessage]:
    """Publish a draft: freeze its content, render the PDF, and queue one email per recipient.
    Publishing is once only; the emails go out after the transaction commits."""
    bulletin = (
        Bulletin.objects.select_for_update(of=("self",))
        .select_related("year__county")
        .get(pk=bulletin.pk)
    )
    _require_draft(bulletin)
    today = today or timezone.localdate()
    content = bulletin_content(year=bulletin.year, month=bulletin.month, today=today)
    return _publish(bulletin, content, by=by)


def _publish(bulletin: Bulletin, content: dict, *, by) -> list[OutboxMessage]:
    """Freeze ``content`` (computed once, under the year's or the bulletin's lock) as the
    published bulletin, render its PDF and queue its emails."""
    bulletin.content = content
    bulletin.built_at = bulletin.published_at = timezone.now()
    bulletin.status = Bulletin.Status.PUBLISHED
    bulletin.published_by = by
    pdf = render_bulletin_pdf(bulletin)
    if pdf:
        bulletin.pdf.save(
            f"{bulletin.year.county.code}-{bulletin.year.year}-{bulletin.month:02d}.pdf",
            ContentFile(pdf),
            save=False,
        )
    # The fields are checked; the year and the publisher are the locked row and the signed-in
    # user (no SELECT to find them again), and the table's rules hold by construction: the
    # month is validated as a field, the publication time is set just above, and one bulletin
    # per month is what the lock and the database's unique constraint keep.
    bulletin.full_clean(exclude=["year", "published_by"], validate_constraints=False)
    bulletin.save()
    messages = bulletin_queue_messages(bulletin)
    outbox_dispatch(m.pk for m in messages)
    return messages


class _EveryUnit:
    """Stands for "the recipient's unit" while an email is rendered once for everyone: equal to
    each unit id the template compares it with (one per ranking row), which it records in the
    order of the rows."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(self) -> None:
        self.rows: list[object] = []

    def __eq__(self, other: object) -> bool:
        self.rows.append(other)
        return True


def _rendered_for_each(
    template: str, bulletin: Bulletin, recipients: list[tuple[str, str, int | None]]
) -> list[str]:
    """``template`` rendered for each (name, why, unit id) of ``recipients``, as
    ``render_to_string`` would, from two renders instead of one per recipient. The name and
    the reason are markers filled in afterwards (escaped in HTML); the recipient's row is
    found by rendering with every row marked as theirs: that copy is the unmarked one with the
    same insertion at each row, so each recipient's copy has it at their row only. Any doubt
    (the copies do not line up so, or a sample differs from a real render) renders each."""

    def render(name: str, why: str, unit_id) -> str:
        context = {
            "bulletin": bulletin,
            "c": bulletin.content,
            "name": name,
            "why": why,
            "unit_id": unit_id,
        }
        return render_to_string(template, context)

    token = uuid.uuid4().hex
    name_mark, why_mark = f"n{token}", f"w{token}"
    every = _EveryUnit()
    base = render(name_mark, why_mark, None)
    marked = render(name_mark, why_mark, every)
    rows = {unit_id: i for i, unit_id in enumerate(every.rows)}
    parts = split_at_insertions(base, marked, len(every.rows))
    if parts is None or len(rows) != len(every.rows):
        return [render(*r) for r in recipients]
    insertion, pieces = parts
    escape = conditional_escape if template.endswith(".html") else str
    texts = []
    for name, why, unit_id in recipients:
        row = rows.get(unit_id) if unit_id is not None else None
        if row is None:
            text = base
        else:
            text = "".join(pieces[: row + 1]) + insertion + "".join(pieces[row + 1 :])
        texts.append(text.replace(name_mark, escape(name)).replace(why_mark, escape(why)))
    samples = {r[2] is None: i for i, r in reversed(list(enumerate(recipients)))}
    if any(texts[i] != render(*recipients[i]) for i in samples.values()):
        logger.warning("bulletin %s: %s rendered for each recipient", bulletin.pk, template)
        return [render(*r) for r in recipients]
    return texts


def bulletin_queue_messages(bulletin: Bulletin) -> list[OutboxMessage]:
    """Queue the published bulletin for every recipient who does not have it yet: a fixed
    number of queries (and of renders) for any number of recipients."""
    subject = _("%(county)s assessment progress bulletin, %(year)s-%(month)s") % {
        "county": bulletin.year.county.name,
        "year": bulletin.year.year,
        "month": bulletin.month,
    }
    recipients = bulletin_recipients(bulletin.year, bulletin.content)
    personal = [(name, why, unit.pk if unit else None) for _e, name, why, unit in recipients]
    texts = _rendered_for_each("emails/bulletin.txt", bulletin, personal)
    htmls = _rendered_for_each("emails/bulletin.html", bulletin, personal)
    rows = [
        OutboxMessage(
            kind=OutboxMessage.Kind.BULLETIN,
            key=f"bulletin:{bulletin.pk}",
            year=bulletin.year,
            recipient_email=email,
            recipient_name=name,
            reason=why,
            subject=subject,
            body_text=text,
            body_html=html,
            bulletin=bulletin,
            unit=unit,
        )
        for (email, name, why, unit), text, html in zip(recipients, texts, htmls, strict=True)
    ]
    return outbox_queue_many(rows)


def is_last_day_of_month(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def bulletins_month_end(*, today: dt.date | None = None) -> list[Bulletin]:
    """The month-end job: on the last day of a month, build and publish every in-progress
    year's bulletin for that month (a bulletin already published is left alone)."""
    today = today or timezone.localdate()
    if not is_last_day_of_month(today):
        return []
    published = []
    for year in AssessmentYear.objects.filter(
        status=AssessmentYear.Status.IN_PROGRESS, year=today.year
    ).select_related("county"):
        bulletin = bulletin_build_publish(year=year, month=today.month, today=today)
        if bulletin is not None:
            published.append(bulletin)
    return published


@transaction.atomic
def bulletin_build_publish(
    *, year: AssessmentYear, month: int, today: dt.date | None = None, by=None
) -> Bulletin | None:
    """Build and publish a month's bulletin in one go, its content computed once (the
    month-end job, ``send_bulletin``); None when it is published already. The year's row is
    locked first, so two runs at once (two workers, two beat ticks, the command twice)
    publish once: the second waits and then finds it published."""
    today = today or timezone.localdate()
    _require_begun(year, month, today)
    AssessmentYear.objects.select_for_update(no_key=True).filter(pk=year.pk).first()
    bulletin = Bulletin.objects.select_for_update().filter(year=year, month=month).first()
    if bulletin is None:
        bulletin = Bulletin(year=year, month=month)
    elif bulletin.status == Bulletin.Status.PUBLISHED:
        return None
    bulletin.year = year  # with its county, for the PDF's name and the recipients
    _publish(bulletin, bulletin_content(year=year, month=month, today=today), by=by)
    return bulletin
