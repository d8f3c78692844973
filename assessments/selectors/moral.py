"""Reads for the moral-assessment (量化考德) pages: the year's template, rounds with their
turnout, results, printable ballot slips and the items of a ballot. Each read takes a fixed
number of queries, whatever the number of units, cadres or codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from cadres.models import PostKind, Unit

from ..models import (
    AssessmentYear,
    BallotCode,
    Judgement,
    MoralDimension,
    MoralItem,
    MoralLevel,
    MoralResult,
    MoralRound,
    MoralTemplate,
    RaterGroup,
)
from ..services.moral import turnout
from .catalog import years_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LEVELS = tuple(MoralLevel.values)
SLIPS_PER_PAGE = 24  # 3 columns × 8 rows on A4


def rounds_for(user) -> QuerySet[MoralRound]:
    """Rounds of the years the user may see."""
    return MoralRound.objects.filter(year__in=years_for(user))


def round_detail(user) -> QuerySet[MoralRound]:
    """The rounds the user may open, with their year, county and template."""
    return rounds_for(user).select_related("year__county", "year__moral_template")


def templates_for(user) -> QuerySet[MoralTemplate]:
    """The templates of the years the user may see, with their year and county."""
    return MoralTemplate.objects.filter(year__in=years_for(user)).select_related("year__county")


def dimensions_for(user) -> QuerySet[MoralDimension]:
    """The dimensions of those templates, with their template, year and county."""
    return MoralDimension.objects.filter(template__year__in=years_for(user)).select_related(
        "template__year__county"
    )


def items_for(user) -> QuerySet[MoralItem]:
    """The items of those dimensions, with their dimension, template, year and county."""
    return MoralItem.objects.filter(dimension__template__year__in=years_for(user)).select_related(
        "dimension__template__year__county"
    )


# The year's template ------------------------------------------------------------------------


@dataclass
class TemplateItem:
    item: MoralItem
    weights: list[int | None]  # in PostKind order


@dataclass
class TemplateDimension:
    dimension: MoralDimension
    items: list[TemplateItem]


@dataclass
class TemplateView:
    template: MoralTemplate
    dimensions: list[TemplateDimension]
    post_kinds: list[str] = field(default_factory=lambda: [str(k.label) for k in PostKind])

    @property
    def levels(self) -> list[tuple[StrOrPromise, int]]:
        labels = dict(MoralLevel.choices)
        return [(labels[lv], self.template.level_score(lv)) for lv in LEVELS]

    @property
    def groups(self) -> list[tuple[StrOrPromise, int]]:
        return [(g.label, self.template.group_weight(g.value)) for g in RaterGroup]

    @property
    def incompetent_percent(self) -> Decimal:
        return self.template.incompetent_share * 100


def template_detail(year: AssessmentYear) -> TemplateView | None:
    """The year's template with its dimensions, items and weights per post kind (4 queries)."""
    template = (
        MoralTemplate.objects.filter(year=year)
        .prefetch_related(
            Prefetch(
                "dimensions",
                queryset=MoralDimension.objects.order_by("sort_order", "code").prefetch_related(
                    Prefetch(
                        "items",
                        queryset=MoralItem.objects.order_by("sort_order", "code").prefetch_related(
                            "weights"
                        ),
                    )
                ),
            )
        )
        .first()
    )
    if template is None:
        return None
    kinds = PostKind.values
    dimensions = []
    for dimension in template.dimensions.all():
        items = []
        for item in dimension.items.all():
            by_kind = {w.post_kind: w.weight for w in item.weights.all()}
            items.append(TemplateItem(item=item, weights=[by_kind.get(k) for k in kinds]))
        dimensions.append(TemplateDimension(dimension=dimension, items=items))
    return TemplateView(template=template, dimensions=dimensions)


# Rounds and turnout -------------------------------------------------------------------------


def round_list(year: AssessmentYear) -> QuerySet[MoralRound]:
    """The year's rounds, newest first, with their units and the codes issued and used."""
    return (
        year.moral_rounds.annotate(
            issued=Count("codes"), used=Count("codes", filter=Q(codes__used=True))
        )
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))
        .order_by("-opens_on", "-pk")
    )


def round_units(round_: MoralRound) -> QuerySet[Unit]:
    return round_.units.order_by("path")


@dataclass
class Turnout:
    issued: int = 0
    used: int = 0

    @property
    def percent(self) -> Decimal | None:
        return Decimal(self.used * 100) / self.issued if self.issued else None

    def add(self, other: Turnout) -> None:
        self.issued += other.issued
        self.used += other.used


@dataclass
class TurnoutRow:
    unit: Unit
    cells: list[tuple[str, Turnout]]  # (group, turnout) in RaterGroup order
    total: Turnout


@dataclass
class TurnoutTable:
    rows: list[TurnoutRow]
    totals: list[tuple[str, Turnout]]
    total: Turnout
    groups: list[tuple[str, StrOrPromise]] = field(default_factory=lambda: list(RaterGroup.choices))


def round_turnout(round_: MoralRound) -> TurnoutTable:
    """Codes issued and used per unit × rater group, with the number of cadres each unit's
    ballot rates (2 queries)."""
    rated = Q(cadres__is_active=True)
    if round_.leading_only:
        rated &= Q(cadres__is_leading=True)
    units = round_units(round_).annotate(rated=Count("cadres", filter=rated))
    counts = turnout(round_)
    totals = {g: Turnout() for g in RaterGroup.values}
    grand = Turnout()
    rows = []
    for unit in units:
        cells = []
        row_total = Turnout()
        for group in RaterGroup.values:
            cell = Turnout(**counts.get((unit.pk, group), {}))
            cells.append((group, cell))
            row_total.add(cell)
            totals[group].add(cell)
        grand.add(row_total)
        rows.append(TurnoutRow(unit=unit, cells=cells, total=row_total))
    return TurnoutTable(rows=rows, totals=list(totals.items()), total=grand)


# Results ------------------------------------------------------------------------------------


@dataclass
class ResultRow:
    result: MoralResult
    by_group: list[Decimal | None]
    by_dimension: list[Decimal | None]
    judgements: list[int]
    incompetent_percent: Decimal | None


@dataclass
class ResultsTable:
    rows: list[ResultRow]
    dimensions: list[str]
    groups: list[tuple[str, StrOrPromise]] = field(default_factory=lambda: list(RaterGroup.choices))
    judgements: list[tuple[str, StrOrPromise]] = field(
        default_factory=lambda: list(Judgement.choices)
    )


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def round_results(round_: MoralRound) -> ResultsTable:
    """Each rated cadre's stored result (a closed round), by unit, best score first
    (2 queries)."""
    dimensions = list(
        MoralDimension.objects.filter(template__year_id=round_.year_id)
        .order_by("sort_order", "code")
        .values_list("name", flat=True)
    )
    results = round_.results.select_related("cadre__unit").order_by(
        "cadre__unit__path", F("score").desc(nulls_last=True), "cadre__number"
    )
    rows = []
    for r in results:
        incompetent = r.judgements.get(Judgement.INCOMPETENT, 0)
        rows.append(
            ResultRow(
                result=r,
                by_group=[_decimal(r.by_group.get(g)) for g in RaterGroup.values],
                by_dimension=[_decimal(r.by_dimension.get(d)) for d in dimensions],
                judgements=[r.judgements.get(j, 0) for j in Judgement.values],
                incompetent_percent=(Decimal(incompetent * 100) / r.ballots if r.ballots else None),
            )
        )
    return ResultsTable(rows=rows, dimensions=dimensions)


# Printable slips ----------------------------------------------------------------------------


def qr_svg(data: str) -> SafeString:
    """``data`` as an inline SVG QR code (one path; sized by CSS)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode").replace(' id="qr-path"', "")
    svg = svg.replace("<svg ", '<svg class="qr" aria-hidden="true" ', 1)
    return mark_safe(svg)  # noqa: S308 (SVG we built from a URL we built: no user input)


@dataclass
class Slip:
    code: BallotCode
    qr: SafeString

    @property
    def display(self) -> str:
        """The code in groups of five, easier to read off and type."""
        c = self.code.code
        return " ".join(c[i : i + 5] for i in range(0, len(c), 5))


def slip_pages(
    round_: MoralRound, *, ballot_url: str, unit: Unit | None = None, group: str = ""
) -> list[list[Slip]]:
    """The round's unused codes as slips, by unit and group, in pages of 24 (1 query). Each
    QR code points to ``<ballot_url>#<CODE>``: the code rides in the URL fragment, which
    browsers never send to the server."""
    codes = round_.codes.filter(used=False).select_related("unit")
    if unit is not None:
        codes = codes.filter(unit=unit)
    if group:
        codes = codes.filter(group=group)
    slips = [Slip(code=c, qr=qr_svg(f"{ballot_url}#{c.code}")) for c in codes]
    return [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)]


# The public ballot --------------------------------------------------------------------------


def ballot_items(year: AssessmentYear) -> list[MoralItem]:
    """The items of the year's template in ballot order, with their dimension (1 query)."""
    return list(
        MoralItem.objects.filter(dimension__template__year=year)
        .select_related("dimension")
        .order_by("dimension__sort_order", "dimension__code", "sort_order", "code")
    )
