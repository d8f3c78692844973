"""The demo county's three locked years before 2015 (2012–2014), and what followed from them.

So that the county shows every kind of eligibility flag, its history is shaped around a few
stories, drawn with ``random.Random(HISTORY_SEED)`` (the same on every load):

- a handful of cadres 优秀 in all three years (priority for promotion, a third-class merit
  proposed), one of them a cadre who moved unit in 2014 and keeps his history;
- a cadre 优秀 in 2013 and 2014 only: a key training target, but no priority (the boundary);
- three cadres the office decided 基本称职 (2012, 2013, 2014): not promotable; the two leading
  cadres among them, bottom of their teams, get an admonishment talk, a county-wide notice and a
  rectification with a deadline (the 2013 one closed, the 2014 one still open);
- two units graded 一般 or lower three years running (陡坡乡, 县工业和信息化局): their
  principal leaders are flagged for organizational adjustment;
- everyone 优秀 in 2014: a key training target.

Every other result is drawn: unit totals by the unit's 2015 quality tier, cadres' 德 / 绩 around
a small personal ability plus the year's luck, 廉 100. Grades follow the year's composite bands
and the 优秀 quota of each unit's group, with no capping rule needed (``caps`` is empty): a
composite over the 优秀 line beyond the quota is drawn again below it. The three years are
written with ``bulk_create`` and their grades locked; then the flags are computed on 1 February
2015 (``flags_recompute``) and the consequences, training assignments and team analysis reports
are recorded through their services (the reports through the model: ``full_clean``).

The whole part is loaded in one piece, only while the county has no result in those years.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import services as assessment_services
from assessments.models import (
    AssessmentYear,
    CadreResult,
    Consequence,
    EligibilityFlag,
    Grade,
    GradeChange,
    GradingPolicy,
    Level,
    TeamAnalysis,
    UnitResult,
)
from assessments.services.consequences import consequence_record, rectification_close
from assessments.services.eligibility import flags_recompute
from assessments.services.grading import band_grade
from cadres.models import Cadre, PostKind, TrainingAssignment, Unit
from cadres.services.training import training_assign
from kaohe.lib.dates import cn_date

from . import data
from .daily import plan_daily
from .progress import _profiles

if TYPE_CHECKING:
    from .loader import CadrePlan, Plan, PostPlan

HISTORY_SEED = 20150201
HISTORY_YEARS = (2012, 2013, 2014)
LOADER_YEARS = {number for number, _title, _status in data.YEARS}  # 2014 is the loader's
TITLES = {year: f"隰县{year}年度目标责任考核" for year in HISTORY_YEARS}
WEIGHTS = data.WEIGHTS[2014]  # the three thirds were weighted as in 2014 before 2015
EXCELLENT_MIN = Decimal("90")  # the 优秀 line of the composite in those years (a setting)
# year -> (public notice from, review requests until, locked on)
CALENDAR = {
    2012: (dt.date(2013, 1, 14), dt.date(2013, 1, 18), dt.date(2013, 1, 25)),
    2013: (dt.date(2014, 1, 13), dt.date(2014, 1, 17), dt.date(2014, 1, 24)),
    2014: (dt.date(2015, 1, 12), dt.date(2015, 1, 16), dt.date(2015, 1, 23)),
}
FLAGS_ON = dt.date(2015, 2, 1)  # the flags are computed after the 2014 lock
# A cadre whose first post started after this day of a year is not graded that year.
GRADED_FROM = (9, 30)

# Unit totals by the unit's quality tier (the one its 2015 follows), and for the weak units.
TOTALS = {
    "A": (90.5, 96.0),
    "B": (82.0, 92.0),
    "C": (77.0, 88.0),
    "D": (71.0, 84.0),
    "weak": (66.0, 79.5),
}
WEAK_UNITS = ("XX-T08", "XX-D29")  # 陡坡乡 and 县工业和信息化局: 一般 or lower 2012–2014
STREAK_CADRES = 4  # 优秀 2012–2014, besides the cadre who moved
SECONDED = 12  # to Luochuan in 2014: up to 4 from the pear centre, the rest from townships
SECONDED_FROM_D09 = 4
FIRST_SECRETARIES = 6

# 德 and 绩 each year: 84 + ABILITY × the cadre's ability (drawn once, normal) + the year's luck.
ABILITY = 2.0

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
FOUR = Decimal("0.0001")
W_MORAL, W_INTEGRITY, W_PERFORMANCE, W_UNIT = 30, 20, 30, 20  # GradingPolicy defaults

HISTORY_KEYS = (
    "history_years",
    "history_unit_results",
    "history_cadre_results",
    "history_excellent",
    "history_basic",
    *(f"flags_{kind}" for kind in EligibilityFlag.Kind.values),
    "consequences",
    "trainings",
    "team_analyses",
)

# --- Texts (demo data, in Chinese) ------------------------------------------------------------

LOW_REASONS = {
    2012: "经县考核委员会研究：该同志2012年无正当理由累计旷工5天，经批评教育后仍未改正，"
    "确定为基本称职。",
    2013: "经县考核委员会研究：该同志分管的重点项目2013年未按期完成，两次被全县集中督查通报，"
    "在本单位领导班子成员中排名末位，确定为基本称职。",
    2014: "经县考核委员会研究：该同志分管工作推进迟缓，玉露香梨新植任务仅完成六成，群众反映"
    "办事推诿，在本乡领导班子成员中排名末位，确定为基本称职。",
}
COMMENDATION = "{year}年度考核确定为优秀等次，按照《公务员奖励规定》给予嘉奖。"
COMMENDATION_DOC = "隰发〔2015〕6号"
COMMENDED_ON = dt.date(2015, 2, 6)
MERIT = "{first}—{last}年度连续三年考核确定为优秀等次，记三等功一次。"
MERIT_DOC = "隰政发〔2015〕11号"
MERITED_ON = dt.date(2015, 3, 12)
TALKED_BY = "县委组织部副部长 张志刚"
ADMONISHMENT = (
    "{year}年度考核确定为基本称职，在本单位领导班子成员中排名末位。县委组织部对其进行诫勉"
    "谈话，指出存在的问题，提出整改要求，本人表示认真整改。"
)
ADMONISHMENT_NO = "{year}年度基本称职（工作人员）。县委组织部对其进行诫勉谈话，要求限期改进。"
NOTICE = "将其{year}年度考核排名末位、确定为基本称职的情况在全县范围内通报。"
NOTICE_DOCS = {2013: "隰考办通〔2014〕2号", 2014: "隰考办通〔2015〕3号"}
RECTIFICATION = (
    "限期整改：针对分管工作推进不力、作风不实的问题制定整改方案，明确整改措施和时限，"
    "每月向县委考核办报告整改进展。"
)
# year of the grade -> (talk, notice and rectification on, rectification deadline, closed on)
LOW_CALENDAR = {
    2012: (dt.date(2013, 1, 30), None, None),
    2013: (dt.date(2014, 1, 28), dt.date(2014, 6, 30), dt.date(2014, 6, 20)),
    2014: (dt.date(2015, 1, 27), dt.date(2015, 11, 30), None),
}
RECTIFICATION_CLOSED = (
    "整改方案确定的5项措施全部落实，分管的两个重点项目已开工建设，经县委考核办复查验收，予以销号。"
)
ADJUSTMENT = (
    "{unit}2012—2014年度连续三年考核为一般及以下等次。经县委常委会研究，对其进行组织调整："
    "责令作出书面检查，调整分管联系工作，给予一年整改观察期；观察期内单位考核仍为一般及以下"
    "等次的，免去现职。"
)
ADJUSTMENT_DOC = "隰组干字〔2015〕8号"
ADJUSTED_ON = dt.date(2015, 3, 20)
POOL_FROM = dt.date(2015, 2, 10)
POOL_PURPOSE = "2014年度考核确定为优秀等次，列为重点培养对象，优先安排上挂下派和交流锻炼。"
LUOCHUAN = "陕西省洛川县"
LUOCHUAN_DAYS = (dt.date(2014, 3, 10), dt.date(2014, 9, 10))
LUOCHUAN_PURPOSE = (
    "赴洛川县学习苹果园标准化管理、矮化密植、病虫害统防统治和果品营销经验，回县后在玉露香梨"
    "产业中推广。"
)
FIRST_SECRETARY_FROM = dt.date(2015, 8, 3)
FIRST_SECRETARY_PURPOSE = (
    "下派担任村党支部第一书记，抓党建促脱贫：建强村党支部，发展玉露香梨和林下经济，帮助贫困户增收。"
)
ANALYSED_ON = dt.date(2015, 1, 20)
ANALYSES = {  # 2014 unit grade -> (strengths, weaknesses, conclusion)
    Level.GOOD: (
        "班子团结协作，党委书记{principal}统揽全局、协调各方能力强；玉露香梨扩规模、强管理任务"
        "全面完成，党建和社会管理工作扎实，2014年度考核为“好”等次。",
        "年轻干部储备不足，班子成员中35岁以下的仅1名；产业发展对个别村带动不够。",
        "班子结构合理、运行良好，建议保持稳定，适时选配一名年轻干部充实班子。",
    ),
    Level.FAIR: (
        "班子整体较为团结，党委书记{principal}作风务实；主要目标任务基本完成，2014年度考核为"
        "“较好”等次。",
        "抓落实的力度不够均衡，果园管理和营销环节较弱；个别班子成员担当意识不强。",
        "班子总体较好，建议加强对分管产业工作的班子成员的培训，推动产业提质增效。",
    ),
    Level.AVERAGE: (
        "班子成员能够完成分管工作，信访和安全生产总体平稳。",
        "班子凝聚力不强，党委书记{principal}统筹推进能力有待提高；玉露香梨新植和管理任务"
        "完成滞后，2014年度考核为“一般”等次。",
        "建议县委组织部加强对班子的跟踪了解，开展专题民主生活会，明确整改时限。",
    ),
    Level.POOR: (
        "班子成员个人廉洁自律情况总体较好。",
        "主要目标任务完成率低，干部作风不实，群众满意度不高，党委书记{principal}抓班子带队伍"
        "不力，2014年度考核为“较差”等次。",
        "建议约谈班子主要负责人，制定整改方案，县委考核办跟踪督办。",
    ),
}
WEAK_ANALYSIS = (  # a township graded 一般 or lower 2012–2014
    "班子成员个人廉洁自律情况总体较好，信访稳定工作未出现大的问题。",
    "班子2012—2014年度连续三年考核为一般及以下等次，党委书记{principal}到任后工作仍未明显"
    "起色；玉露香梨产业发展滞后，干部作风不实，群众满意度不高。",
    "建议按照“连续三年一般及以下”的规定对班子进行组织调整，选派懂产业、善治理的干部充实班子。",
)


# --- The plan (no database) -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitYear:
    unit: str
    year: int
    total: Decimal
    grade: str


@dataclass(frozen=True)
class ResultPlan:
    number: str
    year: int
    unit: str
    leading: bool
    moral: Decimal
    performance: Decimal
    unit_score: Decimal | None
    composite: Decimal
    rank: int
    proposed: str
    grade: str
    reason: str = ""  # the office's decision, when the grade is not the proposal


@dataclass(frozen=True)
class Stories:
    streak: tuple[str, ...]  # 优秀 2012–2014: the cadre who moved first
    mover: str
    two_years: str  # 优秀 2013 and 2014 only
    low: tuple[tuple[str, int], ...]  # (cadre, year) decided 基本称职
    weak_units: tuple[str, ...]
    adjusted: str  # the flagged principal whose adjustment is recorded
    seconded: tuple[str, ...]  # to Luochuan in 2014
    first_secretaries: tuple[tuple[str, str], ...]  # (cadre, village)


@dataclass(frozen=True)
class HistoryPlan:
    units: list[UnitYear]
    results: list[ResultPlan]
    stories: Stories


def _post_in(cadre: CadrePlan, year: int) -> PostPlan | None:
    """The cadre's post at the end of ``year``, or None if not graded that year."""
    first = cadre.earlier or cadre.post
    if first.started_on > dt.date(year, *GRADED_FROM):
        return None
    if cadre.earlier is not None and cadre.post.started_on <= dt.date(year, 12, 31):
        return cadre.post
    return first


def _quota(n: int, unit_grade: str, policy: GradingPolicy) -> int:
    return math.floor(Decimal(policy.share_for(unit_grade)) * n / HUNDRED)


def _composite(moral: Decimal, performance: Decimal, unit: Decimal | None) -> Decimal:
    weights = W_MORAL + W_INTEGRITY + W_PERFORMANCE + (W_UNIT if unit is not None else 0)
    total = W_MORAL * moral + W_INTEGRITY * HUNDRED + W_PERFORMANCE * performance
    if unit is not None:
        total += W_UNIT * unit
    return (total / weights).quantize(FOUR)


def _performance_for(target: float, moral: Decimal, unit: Decimal | None) -> Decimal:
    """The 绩 that brings the composite to (just under) ``target``."""
    weights = W_MORAL + W_INTEGRITY + W_PERFORMANCE + (W_UNIT if unit is not None else 0)
    rest = W_MORAL * moral + W_INTEGRITY * HUNDRED + (W_UNIT * unit if unit is not None else 0)
    value = (Decimal(str(target)) * weights - rest) / W_PERFORMANCE
    return max(Decimal(0), min(HUNDRED, value.quantize(CENT, rounding=ROUND_DOWN)))


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _pick_stories(rng: random.Random, plan: Plan, tiers: dict[str, str]) -> Stories:
    kinds = {u.code: u.kind for u in plan.units}
    sizes = {
        year: Counter(p.unit for c in plan.cadres if (p := _post_in(c, year)) is not None)
        for year in HISTORY_YEARS
    }
    daily = plan_daily(plan)  # the 2015 story cadres stay out of these stories
    busy = {daily.breach, *(number for number, _case in daily.integrity)}
    busy |= {n.cadre for n in daily.ledger}
    busy |= {plan.principal_of(code).number for code in WEAK_UNITS}
    used_units: set[str] = set(WEAK_UNITS)

    def whole(c: CadrePlan) -> bool:  # graded in all three years, always in a group of five+
        return all(
            (p := _post_in(c, y)) is not None and sizes[y][p.unit] >= 5 for y in HISTORY_YEARS
        )

    movers = [c for c in plan.cadres if c.earlier is not None and c.number not in busy and whole(c)]
    mover = movers[0]
    used_units |= {mover.earlier.unit, mover.post.unit}
    busy.add(mover.number)

    def candidates(post_kinds, unit_kinds, unit_tiers="AB"):
        return [
            c
            for c in plan.cadres
            if c.earlier is None
            and c.number not in busy
            and c.post.post_kind in post_kinds
            and kinds[c.post.unit] in unit_kinds
            and tiers.get(c.post.unit, "C") in unit_tiers
            and whole(c)
        ]

    def draw(pool, k):
        chosen = []
        for c in rng.sample(pool, len(pool)):
            if len(chosen) == k:
                break
            if c.post.unit not in used_units:
                chosen.append(c)
                used_units.add(c.post.unit)
                busy.add(c.number)
        return chosen

    rising = (PostKind.DEPUTY, PostKind.MIDDLE)
    both = (Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT)
    streak = draw(candidates(rising, both), STREAK_CADRES)
    two_years = draw(candidates(rising, both), 1)[0]
    everywhere = "ABCD"
    low_staff = draw(candidates((PostKind.STAFF,), both, everywhere), 1)[0]
    low_2013 = draw(candidates((PostKind.DEPUTY,), (Unit.Kind.DEPARTMENT,), everywhere), 1)[0]
    low_2014 = draw(candidates((PostKind.DEPUTY,), (Unit.Kind.TOWNSHIP,), everywhere), 1)[0]

    # Twelve to Luochuan in 2014: pear-centre cadres and one fruit or farm cadre per township.
    def in_2014(c: CadrePlan, unit: str) -> bool:
        p = _post_in(c, 2014)
        return (
            p is not None
            and p.unit == unit
            and c.number not in busy
            and c.earlier is None
            and c.post.started_on <= LUOCHUAN_DAYS[0]
        )

    centre = sorted(
        (c for c in plan.cadres if in_2014(c, "XX-D09") and not c.post.is_principal),
        key=lambda c: c.number,
    )
    seconded = [c.number for c in rng.sample(centre, min(len(centre), SECONDED_FROM_D09))]
    preferred = ("果业站站长", "农业综合服务中心主任", "经济发展办主任", "科员", "干事")
    ranked = {}
    for code, _name in data.TOWNSHIPS:
        staff = [c for c in plan.cadres if in_2014(c, code) and c.post.title in preferred]
        staff.sort(key=lambda c: (preferred.index(c.post.title), c.number))
        ranked[code] = [c.number for c in staff]
    for turn in range(SECONDED):  # one per township, then a second one, until twelve
        for code, _name in data.TOWNSHIPS:
            if len(seconded) < SECONDED and turn < len(ranked[code]):
                seconded.append(ranked[code][turn])
    busy |= set(seconded)

    # A handful of young department cadres go down to villages as first secretaries in 2015.
    villages = [name.removesuffix("党支部") for _c, name, _t in data.GRASSROOTS if "村" in name]
    young = sorted(
        (
            c
            for c in plan.cadres
            if c.number not in busy
            and kinds[c.post.unit] == Unit.Kind.DEPARTMENT
            and c.post.post_kind in (PostKind.MIDDLE, PostKind.STAFF)
            and c.party_member
            and c.birth_date.year >= 1975
        ),
        key=lambda c: c.number,
    )
    sent = rng.sample(young, FIRST_SECRETARIES)
    first_secretaries = tuple(
        zip((c.number for c in sent), rng.sample(villages, FIRST_SECRETARIES), strict=True)
    )
    return Stories(
        streak=(mover.number, *(c.number for c in streak)),
        mover=mover.number,
        two_years=two_years.number,
        low=((low_staff.number, 2012), (low_2013.number, 2013), (low_2014.number, 2014)),
        weak_units=WEAK_UNITS,
        adjusted=plan.principal_of(WEAK_UNITS[-1]).number,
        seconded=tuple(seconded),
        first_secretaries=first_secretaries,
    )


def _unit_years(rng: random.Random, plan: Plan, tiers: dict[str, str]) -> list[UnitYear]:
    year_bands = AssessmentYear()  # the default grade bands, as the three years have them
    assessed = [u.code for u in plan.units if u.code in tiers]
    totals: dict[tuple[str, int], float] = {}
    for code in assessed:
        band = "weak" if code in WEAK_UNITS else tiers[code]
        for year in HISTORY_YEARS:
            totals[code, year] = rng.uniform(*TOTALS[band])
        low = [totals[code, y] < float(year_bands.grade_fair_min) for y in HISTORY_YEARS]
        if code not in WEAK_UNITS and all(low):  # only the story units stay low three years
            totals[code, HISTORY_YEARS[1]] = rng.uniform(80.5, 84.0)
    rows = []
    for code in assessed:
        for year in HISTORY_YEARS:
            total = Decimal(str(round(totals[code, year], 6)))
            rows.append(UnitYear(code, year, total, year_bands.grade_for(total)))
    return rows


def plan_history(plan: Plan) -> HistoryPlan:
    """The county's 2012–2014, the same on every call."""
    rng = random.Random(HISTORY_SEED)
    # The units' 2015 quality tiers: the first draw of the 2015 plan (``plan_progress``), made
    # alone here because the rest of that plan takes a second to draw.
    profiles = _profiles(random.Random(data.PROGRESS_SEED), plan)
    tiers = {code: p.tier for code, p in profiles.items()}
    stories = _pick_stories(rng, plan, tiers)
    units = _unit_years(rng, plan, tiers)
    unit_rows = {(u.unit, u.year): u for u in units}
    policy = GradingPolicy(excellent_min=EXCELLENT_MIN)
    ability = {c.number: rng.gauss(0, 1) for c in plan.cadres}
    streak = set(stories.streak)
    low = dict(stories.low)

    results: list[ResultPlan] = []
    principals: dict[int, set[str]] = defaultdict(set)
    for year in HISTORY_YEARS:
        forced = streak | ({stories.two_years} if year != HISTORY_YEARS[0] else set())
        groups: dict[str, list[ResultPlan]] = defaultdict(list)
        for cadre in plan.cadres:
            post = _post_in(cadre, year)
            if post is None:
                continue
            if post.is_principal:
                principals[year].add(cadre.number)
            a = ability[cadre.number]
            if cadre.number in forced:
                moral, performance = _d(rng.uniform(94, 98.5)), _d(rng.uniform(96, 100))
            elif low.get(cadre.number) == year:
                moral, performance = _d(rng.uniform(74, 79)), _d(rng.uniform(70, 76))
            else:
                moral = _d(min(99.0, max(70.0, 84 + ABILITY * a + rng.gauss(0, 3.5))))
                performance = _d(min(100.0, max(65.0, 84 + ABILITY * a + rng.gauss(0, 4))))
            unit_score = (
                unit_rows[post.unit, year].total.quantize(FOUR) if post.is_leading else None
            )
            row = ResultPlan(
                cadre.number,
                year,
                post.unit,
                post.is_leading,
                moral,
                performance,
                unit_score,
                _composite(moral, performance, unit_score),
                0,
                "",
                "",
            )
            groups[post.unit].append(row)
        for code, members in sorted(groups.items()):
            unit_grade = unit_rows[code, year].grade
            cap = _quota(len(members), unit_grade, policy)
            musts = [r for r in members if r.number in forced]
            if len(musts) > cap:
                raise ValueError(f"{year} {code}: {len(musts)} 优秀 stories over a quota of {cap}")
            barred = {n for n, y in low.items() if y == year}
            if year == HISTORY_YEARS[0]:
                barred.add(stories.two_years)
            if unit_grade in (Level.AVERAGE, Level.POOR):  # its principal cannot be 优秀
                barred |= {r.number for r in members if r.number in principals[year]}
            others = sorted(
                (
                    r
                    for r in members
                    if r.number not in forced
                    and r.number not in barred
                    and r.composite >= EXCELLENT_MIN
                ),
                key=lambda r: (-r.composite, r.number),
            )
            excellent = {r.number for r in musts} | {r.number for r in others[: cap - len(musts)]}
            shaped = []
            for r in members:
                if r.number not in excellent and r.composite >= EXCELLENT_MIN:
                    target = float(EXCELLENT_MIN) - rng.uniform(0.2, 2.5)
                    r = _with_performance(r, _performance_for(target, r.moral, r.unit_score))
                shaped.append(r)
            for r in [r for r in shaped if low.get(r.number) == year]:
                bottom = min(o.composite for o in shaped if o.number != r.number)
                if r.composite < bottom:  # already last of the team
                    continue
                target = float(bottom) - rng.uniform(0.5, 2.0)
                shaped[shaped.index(r)] = _with_performance(
                    r, _performance_for(target, r.moral, r.unit_score)
                )
            shaped.sort(key=lambda r: (-r.composite, r.number))
            previous, rank = None, 0
            for position, r in enumerate(shaped, 1):
                if r.composite != previous:
                    rank, previous = position, r.composite
                proposed = band_grade(policy, r.composite)
                grade, reason = proposed, ""
                if low.get(r.number) == year:
                    grade, reason = Grade.BASIC, LOW_REASONS[year]
                results.append(replace(r, rank=rank, proposed=proposed, grade=grade, reason=reason))
    return HistoryPlan(units, results, stories)


def _with_performance(row: ResultPlan, performance: Decimal) -> ResultPlan:
    return replace(
        row,
        performance=performance,
        composite=_composite(row.moral, performance, row.unit_score),
    )


# --- Writing -------------------------------------------------------------------------------------


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(data.TIME_ZONE))


def _years(
    county: Unit, years: dict[int, AssessmentYear], counts: dict[str, int]
) -> dict[int, AssessmentYear]:
    """The three years: the missing ones created with their weights and published; each with a
    grading policy, locked."""
    found = {
        y.year: y for y in AssessmentYear.objects.filter(county=county, year__in=HISTORY_YEARS)
    }
    found.update({n: y for n, y in years.items() if n in HISTORY_YEARS})
    for number in HISTORY_YEARS:
        if number in found:
            continue
        year = assessment_services.year_create(county=county, year=number, title=TITLES[number])
        for kind, (party, industry, tasks) in WEIGHTS.items():
            assessment_services.weights_set(
                year=year, unit_kind=kind, party=party, industry=industry, tasks=tasks
            )
        for status in (
            AssessmentYear.Status.IN_PROGRESS,
            AssessmentYear.Status.CLOSED,
            AssessmentYear.Status.PUBLISHED,
        ):
            year = assessment_services.year_set_status(year=year, status=status)
        found[number] = year
        counts["history_years"] += 1
    policies = set(
        GradingPolicy.objects.filter(year__in=found.values()).values_list("year__year", flat=True)
    )
    for number, year in found.items():
        if number in policies:
            continue
        notice_from, review_until, locked_on = CALENDAR[number]
        policy = GradingPolicy(
            year=year,
            excellent_min=EXCELLENT_MIN,
            stage=GradingPolicy.Stage.LOCKED,
            notice_from=notice_from,
            review_until=review_until,
            locked_at=_aware(locked_on),
        )
        policy.full_clean()
        policy.save()
    return found


def _results(
    history: HistoryPlan,
    years: dict[int, AssessmentYear],
    units: dict[str, Unit],
    cadres: dict[str, Cadre],
    office,
    counts: dict[str, int],
) -> None:
    UnitResult.objects.bulk_create(
        [
            UnitResult(
                year=years[u.year],
                unit=units[u.unit],
                total=u.total,
                proposed_grade=u.grade,
                grade=u.grade,
            )
            for u in history.units
        ],
        batch_size=500,
    )
    counts["history_unit_results"] = len(history.units)
    rows = [
        CadreResult(
            year=years[r.year],
            cadre=cadres[r.number],
            unit=units[r.unit],
            quota_group=f"unit:{units[r.unit].pk}",
            moral=r.moral,
            integrity=HUNDRED,
            performance=r.performance,
            unit_score=r.unit_score,
            composite=r.composite,
            rank=r.rank,
            proposed_grade=r.proposed,
            grade=r.grade,
            caps=[],
            override_reason=r.reason,
        )
        for r in history.results
    ]
    CadreResult.objects.bulk_create(rows, batch_size=500)
    counts["history_cadre_results"] = len(rows)
    counts["history_excellent"] = sum(r.grade == Grade.EXCELLENT for r in history.results)
    counts["history_basic"] = sum(r.grade == Grade.BASIC for r in history.results)
    decided = [(r, row) for r, row in zip(history.results, rows, strict=True) if r.reason]
    ids = {
        (number, year): pk
        for number, year, pk in CadreResult.objects.filter(
            year__in=years.values(), cadre__in=[row.cadre for _r, row in decided]
        ).values_list("cadre__number", "year__year", "pk")
    }
    GradeChange.objects.bulk_create(
        GradeChange(
            result_id=ids[r.number, r.year],
            kind=GradeChange.Kind.OVERRIDE,
            before=r.proposed,
            after=r.grade,
            reason=r.reason,
            changed_at=_aware(CALENDAR[r.year][0] - dt.timedelta(days=3), 16),
            changed_by=office,
        )
        for r, _row in decided
    )


def _open_flags(county: Unit, kind: str) -> dict[str, EligibilityFlag]:
    flags = EligibilityFlag.objects.filter(
        kind=kind, valid_until__isnull=True, cadre__unit__path__startswith=county.path
    ).select_related("cadre")
    return {f.cadre.number: f for f in flags}


def _consequences(
    history: HistoryPlan,
    county: Unit,
    years: dict[int, AssessmentYear],
    cadres: dict[str, Cadre],
    office,
) -> int:
    stories, created = history.stories, 0
    last = HISTORY_YEARS[-1]
    excellent = sorted(
        r.number for r in history.results if r.year == last and r.grade == Grade.EXCELLENT
    )
    for number in excellent:  # a commendation for every 优秀 of 2014
        consequence_record(
            cadre=cadres[number],
            year=years[last],
            kind=Consequence.Kind.COMMENDATION,
            by=office,
            decided_on=COMMENDED_ON,
            summary=COMMENDATION.format(year=last),
            document_no=COMMENDATION_DOC,
        )
        created += 1
    merits = _open_flags(county, EligibilityFlag.Kind.MERIT)
    consequence_record(  # the merit of the first of them (the others are still due)
        cadre=cadres[stories.streak[0]],
        year=years[last],
        kind=Consequence.Kind.MERIT,
        by=office,
        decided_on=MERITED_ON,
        summary=MERIT.format(first=HISTORY_YEARS[0], last=last),
        document_no=MERIT_DOC,
        flag=merits[stories.streak[0]],
    )
    created += 1
    for number, year in stories.low:
        talked_on, deadline, closed_on = LOW_CALENDAR[year]
        cadre = cadres[number]
        leading = cadre.is_leading
        consequence_record(
            cadre=cadre,
            year=years[year],
            kind=Consequence.Kind.ADMONISHMENT,
            by=office,
            decided_on=talked_on,
            summary=(ADMONISHMENT if leading else ADMONISHMENT_NO).format(year=year),
            talked_by=TALKED_BY,
        )
        created += 1
        if not leading:
            continue
        consequence_record(
            cadre=cadre,
            year=years[year],
            kind=Consequence.Kind.NOTICE,
            by=office,
            decided_on=talked_on,
            summary=NOTICE.format(year=year),
            document_no=NOTICE_DOCS[year],
        )
        item = consequence_record(
            cadre=cadre,
            year=years[year],
            kind=Consequence.Kind.RECTIFICATION,
            by=office,
            decided_on=talked_on,
            summary=RECTIFICATION,
            deadline=deadline,
        )
        created += 2
        if closed_on is not None:
            rectification_close(
                consequence=item, closed_on=closed_on, closing_note=RECTIFICATION_CLOSED, by=office
            )
    adjustments = _open_flags(county, EligibilityFlag.Kind.ADJUSTMENT)
    adjusted = cadres[stories.adjusted]
    consequence_record(
        cadre=adjusted,
        year=years[last],
        kind=Consequence.Kind.ADJUSTMENT,
        by=office,
        decided_on=ADJUSTED_ON,
        summary=ADJUSTMENT.format(unit=adjusted.unit.name),
        document_no=ADJUSTMENT_DOC,
        flag=adjustments[stories.adjusted],
    )
    return created + 1


def _trainings(history: HistoryPlan, county: Unit, cadres: dict[str, Cadre], office) -> int:
    created = 0
    for number in sorted(_open_flags(county, EligibilityFlag.Kind.TRAINING)):
        training_assign(
            cadre=cadres[number],
            kind=TrainingAssignment.Kind.KEY_TRAINING,
            started_on=POOL_FROM,
            purpose=POOL_PURPOSE,
            by=office,
        )
        created += 1
    for number in history.stories.seconded:
        training_assign(
            cadre=cadres[number],
            kind=TrainingAssignment.Kind.SECONDMENT,
            started_on=LUOCHUAN_DAYS[0],
            ended_on=LUOCHUAN_DAYS[1],
            place=LUOCHUAN,
            purpose=LUOCHUAN_PURPOSE,
            by=office,
        )
        created += 1
    for number, village in history.stories.first_secretaries:
        training_assign(
            cadre=cadres[number],
            kind=TrainingAssignment.Kind.FIRST_SECRETARY,
            started_on=FIRST_SECRETARY_FROM,
            place=village,
            purpose=FIRST_SECRETARY_PURPOSE,
            by=office,
        )
        created += 1
    return created


def _analyses(
    history: HistoryPlan, year: AssessmentYear, units: dict[str, Unit], office, plan: Plan
) -> int:
    """A team analysis report for every township on its 2014 results."""
    grades = {u.unit: u.grade for u in history.units if u.year == year.year}
    created = 0
    for code, _name in data.TOWNSHIPS:
        texts = WEAK_ANALYSIS if code in WEAK_UNITS else ANALYSES[grades[code]]
        strengths, weaknesses, conclusion = texts
        principal = plan.principal_of(code).name
        report = TeamAnalysis(
            unit=units[code],
            year=year,
            written_on=ANALYSED_ON,
            strengths=strengths.format(principal=principal),
            weaknesses=weaknesses.format(principal=principal),
            conclusion=conclusion,
            recorded_by=office,
        )
        report.full_clean()
        report.save()
        created += 1
    return created


def load_history(
    plan: Plan, units: dict[str, Unit], years: dict[int, AssessmentYear]
) -> dict[str, int]:
    """Write 2012–2014 and what followed, unless the county already has a result in one of
    those years (then it is loaded, or the office entered its own: either way it is left
    alone). Returns how many rows of each were created (keys: ``HISTORY_KEYS``)."""
    counts = dict.fromkeys(HISTORY_KEYS, 0)
    county = units[data.COUNTY[0]]
    # ``years`` holds every year of the county: one this part creates means it was loaded (a
    # second load costs no query); else a result in those years means the office entered its own.
    if any(number in years for number in HISTORY_YEARS if number not in LOADER_YEARS):
        return counts
    if CadreResult.objects.filter(year__county=county, year__year__in=HISTORY_YEARS).exists():
        return counts
    office = get_user_model().objects.filter(username="office").first()
    if office is None:  # the office login decides and records what followed
        return counts
    history = plan_history(plan)
    with transaction.atomic():
        history_years = _years(county, years, counts)
        cadres = {
            c.number: c
            for c in Cadre.objects.filter(number__startswith=data.COUNTY[0]).select_related("unit")
        }
        _results(history, history_years, units, cadres, office, counts)
        flags = flags_recompute(county=county, on=FLAGS_ON)
        for kind, n in flags.items():
            counts[f"flags_{kind}"] = n
        counts["consequences"] = _consequences(history, county, history_years, cadres, office)
        counts["trainings"] = _trainings(history, county, cadres, office)
        counts["team_analyses"] = _analyses(
            history, history_years[HISTORY_YEARS[-1]], units, office, plan
        )
    return counts


def history_notes(counts: dict[str, int]) -> list[str]:
    """What the load of 2012–2014 created, in words."""
    first, last = HISTORY_YEARS[0], HISTORY_YEARS[-1]
    return [
        _(
            "Results of %(first)d–%(last)d: %(history_years)d assessment years created; "
            "%(history_unit_results)d unit results and %(history_cadre_results)d cadre results "
            "locked (%(history_excellent)d 优秀, %(history_basic)d 基本称职 by the office's "
            "decision)."
        )
        % {"first": first, "last": last, **counts},
        _(
            "Eligibility flags as of %(date)s: %(flags_priority)d priority for promotion, "
            "%(flags_merit)d third-class merits proposed, %(flags_not_promotable)d not "
            "promotable, %(flags_adjustment)d organizational adjustments, %(flags_training)d "
            "key training targets."
        )
        % {"date": cn_date(FLAGS_ON), **counts},
        _(
            "Results use: %(consequences)d consequences recorded, %(trainings)d training "
            "assignments, %(team_analyses)d team analysis reports."
        )
        % counts,
    ]
