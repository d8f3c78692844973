"""Quantified moral assessment: the year's template, rounds, anonymous ballot codes, casting a
ballot once per code, and the results when a round closes.

A ballot's score is Σ w_j × s(level_j) / Σ w_j over the items (item weights for the rated
cadre's post kind); a group's score is the mean of its valid ballots; the moral score is
Σ W_g × group score / Σ W_g over the groups that returned ballots.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter, defaultdict
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres.models import Cadre, PostKind, Unit
from kaohe.lib.dates import cn_date

from ..models import (
    AssessmentYear,
    Ballot,
    BallotAnswer,
    BallotCode,
    Judgement,
    MoralDimension,
    MoralItem,
    MoralItemWeight,
    MoralLevel,
    MoralResult,
    MoralRound,
    MoralTemplate,
    RaterGroup,
)


def _weights(principal: int, deputy: int, middle: int, staff: int) -> dict[str, int]:
    """An item's default weight per post kind."""
    return {
        PostKind.PRINCIPAL: principal,
        PostKind.DEPUTY: deputy,
        PostKind.MIDDLE: middle,
        PostKind.STAFF: staff,
    }


# The five dimensions and their items; the weight per post kind stresses urgent, hard,
# dangerous and heavy tasks, conduct at critical moments and attitude to personal gain for
# those who lead.
DEFAULT_DIMENSIONS = [
    (
        "political",
        "政治品德",
        [
            (
                "P1",
                "理想信念坚定，对党忠诚",
                _weights(3, 3, 2, 2),
            ),
            (
                "P2",
                "关键时刻、急难险重任务中的表现",
                _weights(4, 3, 2, 2),
            ),
        ],
    ),
    (
        "social",
        "社会公德",
        [
            ("S1", "遵纪守法，文明礼貌", _weights(2, 2, 2, 2)),
            ("S2", "热心公益，服务群众", _weights(2, 2, 2, 2)),
        ],
    ),
    (
        "professional",
        "职业道德",
        [
            ("W1", "爱岗敬业，担当作为", _weights(3, 3, 3, 3)),
            ("W2", "对待个人名利的态度", _weights(3, 2, 2, 1)),
        ],
    ),
    (
        "family",
        "家庭美德",
        [
            ("F1", "尊老爱幼，家风良好", _weights(1, 1, 1, 1)),
            (
                "F2",
                "管好配偶子女和身边人员",
                _weights(2, 2, 1, 1),
            ),
        ],
    ),
    (
        "personal",
        "个人品德",
        [
            ("M1", "诚实守信，言行一致", _weights(2, 2, 2, 2)),
            (
                "M2",
                "廉洁自律，生活作风正派",
                _weights(3, 3, 2, 2),
            ),
        ],
    ),
]

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off a paper slip
CODE_LENGTH = 10


@transaction.atomic
def moral_template_create(*, year: AssessmentYear, **settings) -> MoralTemplate:
    """The year's template with the five dimensions and default items and weights."""
    if MoralTemplate.objects.filter(year=year).exists():
        raise ValidationError(_("The year already has a moral-assessment template."))
    template = MoralTemplate(year=year, **settings)
    template.full_clean()
    template.save()
    for order, (code, name, items) in enumerate(DEFAULT_DIMENSIONS):
        dimension = MoralDimension.objects.create(
            template=template, code=code, name=name, sort_order=order
        )
        for item_order, (item_code, item_name, weights) in enumerate(items):
            item = MoralItem.objects.create(
                dimension=dimension, code=item_code, name=item_name, sort_order=item_order
            )
            MoralItemWeight.objects.bulk_create(
                MoralItemWeight(item=item, post_kind=kind, weight=w) for kind, w in weights.items()
            )
    return template


@transaction.atomic
def moral_round_open(
    *,
    year: AssessmentYear,
    name: str,
    units,
    opens_on: dt.date,
    closes_on: dt.date,
    leading_only: bool = True,
) -> MoralRound:
    if not MoralTemplate.objects.filter(year=year).exists():
        raise ValidationError(_("Set up the year's moral-assessment template first."))
    units = list(units)
    if not units or any(not u.path.startswith(year.county.path) for u in units):
        raise ValidationError({"units": _("Choose units of this county.")})
    round_dates_check(year, opens_on, closes_on)
    round_ = MoralRound(
        year=year, name=name, opens_on=opens_on, closes_on=closes_on, leading_only=leading_only
    )
    round_.full_clean()
    round_.save()
    round_.units.set(units)
    return round_


def round_cadres(round_: MoralRound, unit: Unit):
    """The cadres a ballot of that unit rates, in a stable order (leaders first)."""
    cadres = Cadre.objects.filter(unit=unit, is_active=True)
    if round_.leading_only:
        cadres = cadres.filter(is_leading=True)
    return cadres.order_by("-is_principal", "post_kind", "number")


@transaction.atomic
def ballot_codes_issue(
    *, round_: MoralRound, unit: Unit, group: str, count: int
) -> list[BallotCode]:
    if round_.status != MoralRound.Status.OPEN:
        raise ValidationError(_("The round is closed."))
    if not round_.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("The unit is not in this round.")})
    if group not in RaterGroup.values:
        raise ValidationError({"group": _("Choose a rater group.")})
    if not 1 <= count <= 500:
        raise ValidationError({"count": _("Issue between 1 and 500 codes at a time.")})
    # 32^10 possible codes: a clash is near impossible, but checked, against only the drawn
    # candidates (not every code ever issued).
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            for _ in range(count - len(codes))
        }
        codes |= drawn - set(
            BallotCode.objects.filter(code__in=drawn).values_list("code", flat=True)
        )
    return BallotCode.objects.bulk_create(
        BallotCode(round=round_, unit=unit, group=group, code=c) for c in sorted(codes)
    )


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def ballot_for_code(code: str, *, today: dt.date | None = None) -> BallotCode:
    """The unused code of an open round, or a ValidationError that says why not."""
    today = today or timezone.localdate()
    found = (
        BallotCode.objects.select_related("round__year__moral_template", "unit")
        .filter(code=normalize_code(code))
        .first()
    )
    if found is None:
        raise ValidationError(_("This code is not valid. Check the slip and try again."))
    if found.used:
        raise ValidationError(_("This code has already been used."))
    round_ = found.round
    if round_.status != MoralRound.Status.OPEN or today > round_.closes_on:
        raise ValidationError(_("This round of assessment has ended."), code="closed")
    if today < round_.opens_on:
        raise ValidationError(
            _("This round has not begun: it takes ballots from %(start)s to %(end)s.")
            % {"start": cn_date(round_.opens_on), "end": cn_date(round_.closes_on)},
            code="not_open",
        )
    return found


def _day(day: dt.date) -> str:
    return date_format(day, "Y年n月j日")


def round_dates_check(year: AssessmentYear, opens_on: dt.date, closes_on: dt.date) -> None:
    """A round's dates lie in the assessment year, or in the January after it (a year-end
    round running into the new year)."""
    first, last = dt.date(year.year, 1, 1), dt.date(year.year + 1, 1, 31)
    for field, day in (("opens_on", opens_on), ("closes_on", closes_on)):
        if not first <= day <= last:
            raise ValidationError(
                {
                    field: _("The dates of a %(year)s round lie between %(first)s and %(last)s.")
                    % {"year": year.year, "first": _day(first), "last": _day(last)}
                }
            )


@transaction.atomic
def ballot_cast(
    *, code: str, answers: dict[int, dict], today: dt.date | None = None
) -> list[Ballot]:
    """Cast one rater's ballot: ``answers`` = {cadre id: {"levels": {item id: level},
    "judgement": judgement}} for every cadre the code's unit rates, every item answered.
    The code is claimed by a conditional update: used twice, the second is refused."""
    found = ballot_for_code(code, today=today)
    round_ = found.round
    # The template's row lock orders this ballot with any edit of the template: an edit
    # either finishes first (and the ballot uses the edited items) or sees this ballot and
    # is refused.
    MoralTemplate.objects.select_for_update().filter(year=round_.year).first()
    cadres = list(round_cadres(round_, found.unit))
    items = list(MoralItem.objects.filter(dimension__template__year=round_.year))
    item_ids = {i.pk for i in items}
    if set(answers) != {c.pk for c in cadres}:
        raise ValidationError(_("Rate every cadre on the ballot."))
    for cadre in cadres:
        answer = answers[cadre.pk]
        levels = answer.get("levels", {})
        if set(levels) != item_ids or any(v not in MoralLevel.values for v in levels.values()):
            raise ValidationError(_("Answer every item for %(name)s.") % {"name": cadre.name})
        if answer.get("judgement") not in Judgement.values:
            raise ValidationError(
                _("Give an overall judgement for %(name)s.") % {"name": cadre.name}
            )
    if BallotCode.objects.filter(pk=found.pk, used=False).update(used=True) != 1:
        raise ValidationError(_("This code has already been used."))
    ballots = Ballot.objects.bulk_create(
        Ballot(round=round_, cadre=c, group=found.group, judgement=answers[c.pk]["judgement"])
        for c in cadres
    )
    BallotAnswer.objects.bulk_create(
        BallotAnswer(ballot=b, item_id=item_id, level=level)
        for b in ballots
        for item_id, level in answers[b.cadre_id]["levels"].items()
    )
    return ballots


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def _means(by_group: Mapping[str, list[Decimal]]) -> dict[str, Decimal]:
    """The mean score of each rater group (every list holds at least one: made by appending)."""
    return {g: mean for g, values in by_group.items() if (mean := _mean(values)) is not None}


def _weighted(by_group: dict[str, Decimal], template: MoralTemplate) -> Decimal | None:
    weights = {g: Decimal(template.group_weight(g)) for g in by_group}
    total = sum(weights.values(), Decimal(0))
    if not total:
        return None
    return sum((weights[g] * s for g, s in by_group.items()), Decimal(0)) / total


def moral_scores(round_: MoralRound) -> dict[int, dict]:
    """Every rated cadre's results in the round (a few queries, whatever the number)."""
    template = round_.year.moral_template
    items = {
        i.pk: i
        for i in MoralItem.objects.filter(dimension__template=template).select_related("dimension")
    }
    weights = {
        (w.item_id, w.post_kind): Decimal(w.weight)
        for w in MoralItemWeight.objects.filter(item__dimension__template=template)
    }
    levels = {lv: Decimal(template.level_score(lv)) for lv in MoralLevel.values}
    answers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for ballot_id, item_id, level in BallotAnswer.objects.filter(ballot__round=round_).values_list(
        "ballot_id", "item_id", "level"
    ):
        answers[ballot_id].append((item_id, level))
    per_cadre: dict[int, dict] = defaultdict(
        lambda: {
            "groups": defaultdict(list),
            "dims": defaultdict(lambda: defaultdict(list)),
            "judgements": Counter(),
            "ballots": 0,
        }
    )
    post_kinds = dict(
        Cadre.objects.filter(ballots__round=round_).values_list("pk", "post_kind").distinct()
    )
    for ballot in Ballot.objects.filter(round=round_).values(
        "id", "cadre_id", "group", "judgement"
    ):
        kind = post_kinds.get(ballot["cadre_id"], PostKind.STAFF)
        total_w = total_s = Decimal(0)
        dim_parts: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for item_id, level in answers[ballot["id"]]:
            w = weights.get((item_id, kind), Decimal(1))
            s = levels[level]
            total_w += w
            total_s += w * s
            part = dim_parts[items[item_id].dimension.name]
            part[0] += w * s
            part[1] += w
        data = per_cadre[ballot["cadre_id"]]
        data["ballots"] += 1
        data["judgements"][ballot["judgement"]] += 1
        if total_w:
            data["groups"][ballot["group"]].append(total_s / total_w)
        for dim, (ws, w) in dim_parts.items():
            data["dims"][dim][ballot["group"]].append(ws / w)
    results = {}
    for cadre_id, data in per_cadre.items():
        by_group = _means(data["groups"])
        by_dimension = {
            dim: _weighted(_means(groups), template) for dim, groups in data["dims"].items()
        }
        incompetent = data["judgements"].get(Judgement.INCOMPETENT, 0)
        results[cadre_id] = {
            "score": _weighted(by_group, template),
            "by_group": by_group,
            "by_dimension": by_dimension,
            "ballots": data["ballots"],
            "judgements": dict(data["judgements"]),
            # The share is stored to three places (one third is 0.333): compare at that
            # precision, so exactly a third does not count as "more than a third".
            "threshold_breached": round(Decimal(incompetent) / data["ballots"], 3)
            > template.incompetent_share,
        }
    return results


@transaction.atomic
def moral_round_close(*, round_: MoralRound) -> list[MoralResult]:
    """Close the round (no more ballots) and store each cadre's results."""
    round_ = (
        # Lock the round's row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the join to the template.
        MoralRound.objects.select_for_update(of=("self",))
        .select_related("year__moral_template")
        .get(pk=round_.pk)
    )
    if round_.status == MoralRound.Status.CLOSED:
        raise ValidationError(_("The round is already closed."))
    round_.status = MoralRound.Status.CLOSED
    round_.save(update_fields=["status"])

    def q(value):
        return None if value is None else str(round(value, 4))

    results = [
        MoralResult(
            round=round_,
            cadre_id=cadre_id,
            score=r["score"],
            ballots=r["ballots"],
            by_group={g: q(v) for g, v in r["by_group"].items()},
            by_dimension={d: q(v) for d, v in r["by_dimension"].items()},
            judgements=r["judgements"],
            threshold_breached=r["threshold_breached"],
        )
        for cadre_id, r in moral_scores(round_).items()
    ]
    return MoralResult.objects.bulk_create(results)


def turnout(round_: MoralRound) -> dict[tuple[int, str], dict]:
    """Codes issued and used per (unit, group)."""
    rows = (
        BallotCode.objects.filter(round=round_)
        .values("unit_id", "group")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
    )
    return {(r["unit_id"], r["group"]): {"issued": r["issued"], "used": r["used"]} for r in rows}


# Editing the year's template ----------------------------------------------------------------
# A template changes freely until the first ballot is cast in one of the year's rounds; from
# then on it is locked, so that every ballot of the year (and the results computed from them)
# keeps its meaning. A template always keeps at least one item; a dimension may be empty for a
# while (just created): it is then simply not on the ballot.

ITEM_WEIGHT_MAX = 100


def template_in_use(template: MoralTemplate) -> bool:
    """Whether a ballot has been cast in a round of the template's year."""
    return Ballot.objects.filter(round__year_id=template.year_id).exists()


def _template_for_edit(template: MoralTemplate) -> MoralTemplate:
    """The template's row, locked for the transaction, if it may still change."""
    template = MoralTemplate.objects.select_for_update().get(pk=template.pk)
    if template_in_use(template):
        raise ValidationError(
            _(
                "Ballots have been cast with this template: it can no longer change, so that "
                "their scores keep their meaning."
            )
        )
    return template


def _next_code(taken: set[str], prefix: str) -> str:
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def template_settings_update(
    *,
    template: MoralTemplate,
    score_good: int,
    score_fair: int,
    score_fairly_poor: int,
    score_poor: int,
    weight_superiors: int,
    weight_peers: int,
    weight_subordinates: int,
    weight_public: int,
    incompetent_share: Decimal,
) -> MoralTemplate:
    """Level scores, rater-group weights (adding up to exactly 100) and the share of 不称职
    judgements beyond which a cadre cannot be graded 称职 or better."""
    template = _template_for_edit(template)
    if not score_good >= score_fair >= score_fairly_poor >= score_poor or score_good > 100:
        raise ValidationError(
            _("Level scores go down from 好 to 差 (or stay equal), and 好 is at most 100.")
        )
    template.score_good = score_good
    template.score_fair = score_fair
    template.score_fairly_poor = score_fairly_poor
    template.score_poor = score_poor
    template.weight_superiors = weight_superiors
    template.weight_peers = weight_peers
    template.weight_subordinates = weight_subordinates
    template.weight_public = weight_public
    template.incompetent_share = incompetent_share
    template.full_clean()  # the constraint: group weights add up to exactly 100
    template.save()
    return template


@transaction.atomic
def dimension_save(
    *,
    template: MoralTemplate,
    dimension: MoralDimension | None = None,
    name: str,
    sort_order: int,
) -> MoralDimension:
    """Add a dimension to the template (without items yet), or rename or reorder one. Names
    are unique in a template: results are reported per dimension name."""
    template = _template_for_edit(template)
    if dimension is not None and dimension.template_id != template.pk:
        raise ValidationError(_("The dimension is not in this template."))
    name = name.strip()
    others = template.dimensions.all()
    if dimension is not None:
        others = others.exclude(pk=dimension.pk)
    if others.filter(name=name).exists():
        raise ValidationError({"name": _("The template already has a dimension of that name.")})
    if dimension is None:
        code = _next_code(set(template.dimensions.values_list("code", flat=True)), "dim")
        dimension = MoralDimension(template=template, code=code)
    dimension.name = name
    dimension.sort_order = sort_order
    dimension.full_clean()
    dimension.save()
    return dimension


class RowsRefused(ValidationError):
    """Rows of the template's table that were refused: ``rows`` maps a row's key ("d<pk>" for
    a dimension, "i<pk>" for an item) to its refusal. Nothing of the save was kept."""

    def __init__(self, rows: dict[str, ValidationError]):
        super().__init__([m for error in rows.values() for m in error.messages])
        self.rows = rows


@transaction.atomic
def template_rows_save(
    *,
    template: MoralTemplate,
    dimensions: list[tuple[MoralDimension, dict]],
    items: list[tuple[MoralItem, dict]],
) -> int:
    """Save the table's rows in one go, all or nothing: each dimension's name and order, each
    item's name, order and weights (as ``dimension_save`` and ``item_save`` take them).
    Refused rows raise ``RowsRefused`` naming each; the rows saved before are rolled back.
    Returns the number of rows saved."""
    refused: dict[str, ValidationError] = {}
    for dimension, data in dimensions:
        try:
            with transaction.atomic():
                dimension_save(template=template, dimension=dimension, **data)
        except ValidationError as error:
            refused[f"d{dimension.pk}"] = error
    for item, data in items:
        try:
            with transaction.atomic():
                item_save(dimension=item.dimension, item=item, **data)
        except ValidationError as error:
            refused[f"i{item.pk}"] = error
    if refused:
        raise RowsRefused(refused)
    return len(dimensions) + len(items)


@transaction.atomic
def dimension_delete(*, dimension: MoralDimension) -> None:
    """Delete a dimension with its items, unless they are the template's last items."""
    _template_for_edit(dimension.template)
    if (
        dimension.items.exists()
        and not MoralItem.objects.filter(dimension__template_id=dimension.template_id)
        .exclude(dimension=dimension)
        .exists()
    ):
        raise ValidationError(
            _("The template must keep at least one item: add items elsewhere first.")
        )
    dimension.delete()


@transaction.atomic
def item_save(
    *,
    dimension: MoralDimension,
    item: MoralItem | None = None,
    name: str,
    sort_order: int,
    weights: dict[str, int],
) -> MoralItem:
    """Add an item to a dimension, or change one: its name, order and a weight (1 to 100)
    for every post kind."""
    _template_for_edit(dimension.template)
    if item is not None and item.dimension_id != dimension.pk:
        raise ValidationError(_("The item is not in this dimension."))
    if set(weights) != set(PostKind.values) or any(
        not isinstance(w, int) or not 1 <= w <= ITEM_WEIGHT_MAX for w in weights.values()
    ):
        raise ValidationError(
            {
                "weights": _("Give a weight from 1 to %(max)s for every post kind.")
                % {"max": ITEM_WEIGHT_MAX}
            }
        )
    if item is None:
        taken = set(MoralItem.objects.filter(dimension=dimension).values_list("code", flat=True))
        prefix = "".join(ch for ch in (min(taken) if taken else "") if ch.isalpha())
        item = MoralItem(
            dimension=dimension,
            code=_next_code(taken, prefix or dimension.code[:1].upper()),
        )
    item.name = name.strip()
    item.sort_order = sort_order
    item.full_clean()
    item.save()
    existing = {w.post_kind: w for w in item.weights.all()}
    for kind in PostKind.values:
        row = existing.get(kind) or MoralItemWeight(item=item, post_kind=kind)
        if row.pk is None or row.weight != weights[kind]:
            row.weight = weights[kind]
            row.full_clean()
            row.save()
    return item


@transaction.atomic
def item_delete(*, item: MoralItem) -> None:
    """Delete an item, unless it is the template's last one."""
    _template_for_edit(item.dimension.template)
    if (
        not MoralItem.objects.filter(dimension__template_id=item.dimension.template_id)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError(_("The template must keep at least one item."))
    item.delete()
