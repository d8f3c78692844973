"""Load the demo county: a Xi-County-like unit tree, its cadres, two assessment years with their
catalogs, and the demo logins.

The county is planned in memory first (``random.Random(data.SEED)``, so it is the same every
time), then written through the services, skipping every row whose stable code already exists.
Running it twice leaves one copy.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from assessments import services as assessment_services
from assessments.models import AssessmentYear
from cadres import services as cadre_services
from cadres.models import Account, Cadre, PostKind, Rank, Role, Unit

from . import data
from .daily import daily_notes, load_daily
from .history import history_notes, load_history
from .leads import lead_notes
from .progress import load_progress
from .quarters import load_quarters
from .warnings import WARNING_KEYS, load_warnings, warning_notes


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    kind: str
    parent: str | None
    sort_order: int
    head_email: str = ""


@dataclass(frozen=True)
class PostPlan:
    unit: str
    title: str
    rank: str
    post_kind: str
    started_on: dt.date
    is_leading: bool = False
    is_principal: bool = False


@dataclass(frozen=True)
class CadrePlan:
    number: str
    name: str
    gender: str
    birth_date: dt.date
    education: str
    party_member: bool
    post: PostPlan  # the current post
    earlier: PostPlan | None = None  # a post in another unit before a move


@dataclass(frozen=True)
class Plan:
    units: list[UnitPlan]
    cadres: list[CadrePlan]

    def principal_of(self, unit_code: str) -> CadrePlan:
        return next(c for c in self.cadres if c.post.unit == unit_code and c.post.is_principal)


# --- Planning (no database) ------------------------------------------------------------------


def plan_units() -> list[UnitPlan]:
    city_code, city_name = data.CITY
    county_code, county_name = data.COUNTY
    units = [
        UnitPlan(city_code, city_name, Unit.Kind.CITY, None, 1),
        UnitPlan(county_code, county_name, Unit.Kind.COUNTY, city_code, 1),
    ]
    for i, (code, name) in enumerate(data.COMMITTEES, 1):
        units.append(
            UnitPlan(code, name, Unit.Kind.COMMITTEE, county_code, i, data.head_email(code))
        )
    for i, (code, name) in enumerate(data.TOWNSHIPS, 1):
        units.append(
            UnitPlan(code, name, Unit.Kind.TOWNSHIP, county_code, 100 + i, data.head_email(code))
        )
    for i, (code, name, committee) in enumerate(data.DEPARTMENTS, 1):
        units.append(
            UnitPlan(code, name, Unit.Kind.DEPARTMENT, committee, i, data.head_email(code))
        )
    for i, (code, name, township) in enumerate(data.GRASSROOTS, 1):
        units.append(UnitPlan(code, name, Unit.Kind.GRASSROOTS, township, i))
    return units


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _name(rng: random.Random, gender: str, used: set[str]) -> str:
    """A plausible Chinese name not yet used in the county."""
    if gender == Cadre.Gender.MALE:
        first, second, single = data.MALE_FIRST, data.MALE_SECOND, data.MALE_SINGLE
    else:
        first, second, single = data.FEMALE_FIRST, data.FEMALE_SECOND, data.FEMALE_SINGLE
    while True:
        surname = _weighted(rng, data.SURNAMES)
        if rng.random() < data.SINGLE_NAME_SHARE:
            given = rng.choice(single)
        else:
            given = rng.choice(first) + rng.choice(second)
            if given[0] == given[1]:
                continue
        name = surname + given
        if given[0] != surname and name not in used:
            used.add(name)
            return name


@dataclass(frozen=True)
class Titles:
    principal: str
    deputies: list[str]  # the first one is always taken, the rest are drawn
    middle: list[str]
    staff: list[str]


def _titles(unit: UnitPlan) -> Titles:
    if unit.kind == Unit.Kind.TOWNSHIP:
        head = "镇长" if unit.name.endswith("镇") else "乡长"
        return Titles(
            data.TOWNSHIP_PRINCIPAL,
            [head] + [t.format(head=head) for t in data.TOWNSHIP_DEPUTIES],
            data.TOWNSHIP_MIDDLE,
            data.TOWNSHIP_STAFF,
        )
    if unit.kind == Unit.Kind.COMMITTEE:
        return Titles(
            data.COMMITTEE_PRINCIPAL,
            data.COMMITTEE_DEPUTIES,
            data.COMMITTEE_MIDDLE,
            data.COMMITTEE_STAFF,
        )
    principal, deputy = next(
        (p, d) for suffix, p, d in data.DEPARTMENT_HEADS if unit.name.endswith(suffix)
    )
    return Titles(
        principal,
        [deputy] * 4,
        data.DEPARTMENT_MIDDLE_BY_CODE.get(unit.code, data.DEPARTMENT_MIDDLE),
        data.DEPARTMENT_STAFF_BY_CODE.get(unit.code, data.DEPARTMENT_STAFF),
    )


def _team(rng: random.Random, unit: UnitPlan) -> list[tuple[str, str]]:
    """The (title, post kind) of every cadre of a unit, leadership team first."""
    titles = _titles(unit)
    low, high = data.TEAM_SIZE[unit.kind]
    size = rng.randint(low, high)
    if unit.kind == Unit.Kind.TOWNSHIP:
        deputies, middle = rng.randint(3, 4), rng.randint(3, 5)
    elif unit.kind == Unit.Kind.COMMITTEE:
        deputies, middle = rng.randint(2, min(3, size - 2)), 1
    else:
        deputies = rng.randint(2, 4 if size >= 8 else min(3, size - 3))
        middle = rng.randint(1, min(2, size - 2 - deputies))
    team = [(titles.principal, PostKind.PRINCIPAL)]
    drawn = rng.sample(titles.deputies[1:], deputies - 1)
    team += [(t, PostKind.DEPUTY) for t in [titles.deputies[0], *drawn]]
    team += [(t, PostKind.MIDDLE) for t in rng.sample(titles.middle, middle)]
    team += [(rng.choice(titles.staff), PostKind.STAFF) for _ in range(size - len(team))]
    return team


def _rank(rng: random.Random, unit: UnitPlan, title: str, kind: str, born: int) -> str:
    if kind == PostKind.PRINCIPAL:
        if unit.code in data.PRINCIPAL_DIVISION_LEVEL:
            return Rank.DIVISION_DEPUTY
        return Rank.SECTION_CHIEF
    if kind == PostKind.DEPUTY:
        # The township head ranks with the party secretary.
        return Rank.SECTION_CHIEF if title in ("镇长", "乡长") else Rank.SECTION_DEPUTY
    if kind == PostKind.MIDDLE:
        if born <= 1975:
            return rng.choice([Rank.PRINCIPAL_STAFF_1, Rank.PRINCIPAL_STAFF_2])
        if born <= 1982:
            return rng.choice([Rank.PRINCIPAL_STAFF_2, Rank.PRINCIPAL_STAFF_3])
        return rng.choice([Rank.PRINCIPAL_STAFF_3, Rank.PRINCIPAL_STAFF_4])
    if born <= 1978:
        return rng.choice([Rank.PRINCIPAL_STAFF_3, Rank.PRINCIPAL_STAFF_4])
    if born <= 1986:
        return rng.choice([Rank.PRINCIPAL_STAFF_4, Rank.STAFF_1])
    return rng.choice([Rank.STAFF_1, Rank.STAFF_2, Rank.CLERK])


def _cadre(
    rng: random.Random, number: str, unit: UnitPlan, title: str, kind: str, used: set[str]
) -> CadrePlan:
    male = rng.random() < data.MALE_SHARE[kind]
    gender = Cadre.Gender.MALE if male else Cadre.Gender.FEMALE
    name = _name(rng, gender, used)
    first_year, last_year = data.BIRTH_YEARS[kind]
    born = _date_between(rng, dt.date(first_year, 1, 1), dt.date(last_year, 12, 31))
    leading = kind in (PostKind.PRINCIPAL, PostKind.DEPUTY)
    education = _weighted(rng, data.EDUCATION_LEADING if leading else data.EDUCATION)
    party_member = rng.random() < data.PARTY_SHARE[kind]
    earliest = max(data.POSTS_FROM, _years_after(born, data.MIN_AGE_AT_START))
    post = PostPlan(
        unit=unit.code,
        title=title,
        rank=_rank(rng, unit, title, kind, born.year),
        post_kind=kind,
        started_on=_date_between(rng, earliest, data.POSTS_UNTIL),
        is_leading=leading,
        is_principal=kind == PostKind.PRINCIPAL,
    )
    return CadrePlan(number, name, gender, born, education, party_member, post)


def _with_moves(rng: random.Random, cadres: list[CadrePlan], units: list[UnitPlan]):
    """Give a few deputies and mid-level cadres an earlier post in another unit, left in 2014."""
    by_code = {u.code: u for u in units}
    movable_kinds = (Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT)
    candidates = [
        i
        for i, c in enumerate(cadres)
        if c.post.post_kind in (PostKind.DEPUTY, PostKind.MIDDLE)
        and c.post.rank != Rank.SECTION_CHIEF
        and by_code[c.post.unit].kind in movable_kinds
        and c.birth_date.year <= 1985
    ]
    moved_units: set[str] = set()
    cadres = list(cadres)
    for i in rng.sample(candidates, len(candidates)):
        if len(moved_units) == data.MOVES:
            break
        cadre = cadres[i]
        if cadre.post.unit in moved_units:
            continue
        moved_units.add(cadre.post.unit)
        origin = rng.choice(
            [u for u in units if u.kind in movable_kinds and u.code != cadre.post.unit]
        )
        titles = _titles(origin)
        if cadre.post.post_kind == PostKind.DEPUTY:  # promoted from a mid-level post
            title, kind, rank = rng.choice(titles.middle), PostKind.MIDDLE, Rank.PRINCIPAL_STAFF_2
        else:
            title, kind, rank = rng.choice(titles.staff), PostKind.STAFF, Rank.STAFF_1
        earliest = max(data.EARLIER_POSTS_FROM, _years_after(cadre.birth_date, 22))
        earlier = PostPlan(
            origin.code, title, rank, kind, _date_between(rng, earliest, data.EARLIER_POSTS_UNTIL)
        )
        moved_on = _date_between(rng, data.MOVED_FROM, data.MOVED_UNTIL)
        cadres[i] = replace(cadre, earlier=earlier, post=replace(cadre.post, started_on=moved_on))
    return cadres


def plan_county() -> Plan:
    """The whole demo county, the same on every call."""
    rng = random.Random(data.SEED)
    units = plan_units()
    order = (Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE)
    assessed = sorted(
        (u for u in units if u.kind in order), key=lambda u: (order.index(u.kind), u.code)
    )
    used: set[str] = set()
    cadres: list[CadrePlan] = []
    for unit in assessed:
        for title, kind in _team(rng, unit):
            number = f"{data.COUNTY[0]}{len(cadres) + 1:04d}"
            cadres.append(_cadre(rng, number, unit, title, kind, used))
    return Plan(units, _with_moves(rng, cadres, units))


# --- Writing (through the services) ----------------------------------------------------------


def _load_units(plan: Plan) -> tuple[dict[str, Unit], int]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[p.code for p in plan.units])}
    created = 0
    for p in plan.units:
        if p.code in units:
            continue
        units[p.code] = cadre_services.unit_create(
            code=p.code,
            name=p.name,
            kind=p.kind,
            parent=units[p.parent] if p.parent else None,
            sort_order=p.sort_order,
            head_email=p.head_email,
        )
        created += 1
    return units, created


def _load_cadres(plan: Plan, units: dict[str, Unit]) -> tuple[int, int]:
    prefix = data.COUNTY[0]
    existing = set(
        Cadre.objects.filter(number__startswith=prefix).order_by().values_list("number", flat=True)
    )
    created = moved = 0
    for c in plan.cadres:
        if c.number in existing:
            continue
        first = c.earlier or c.post
        cadre = cadre_services.cadre_create(
            number=c.number,
            name=c.name,
            gender=c.gender,
            unit=units[first.unit],
            title=first.title,
            rank=first.rank,
            post_kind=first.post_kind,
            started_on=first.started_on,
            is_leading=first.is_leading,
            is_principal=first.is_principal,
            birth_date=c.birth_date,
            party_member=c.party_member,
            education=c.education,
        )
        created += 1
        if c.earlier is not None:
            cadre_services.cadre_move(
                cadre=cadre,
                unit=units[c.post.unit],
                title=c.post.title,
                rank=c.post.rank,
                post_kind=c.post.post_kind,
                on=c.post.started_on,
                is_leading=c.post.is_leading,
                is_principal=c.post.is_principal,
            )
            moved += 1
    return created, moved


def _group_points(year: int) -> dict[str, Decimal]:
    """Maximum points of each group node: the sum of its children in that year."""
    points: dict[str, Decimal] = {}
    for spec in data.CATALOG:
        if spec.parent and year in spec.years:
            points[spec.parent] = points.get(spec.parent, Decimal(0)) + Decimal(spec.max_points)
    return points


_STATUS_PATH = [
    AssessmentYear.Status.DRAFT,
    AssessmentYear.Status.IN_PROGRESS,
    AssessmentYear.Status.CLOSED,
]


def _load_years(units: dict[str, Unit]) -> tuple[dict[str, int], dict[int, AssessmentYear]]:
    """Create the missing years, weights and indicators. Returns the counts created and the
    county's years by number."""
    county = units[data.COUNTY[0]]
    # With the moral-assessment template, so that the daily part's check costs no query.
    found = AssessmentYear.objects.filter(county=county).select_related("moral_template")
    years = {y.year: y for y in found}
    counts = {"years": 0, "weights": 0, "indicators": 0}
    for number, title, status in data.YEARS:
        year = years.get(number)
        created = year is None
        if created:
            year = assessment_services.year_create(county=county, year=number, title=title)
            years[number] = year
            counts["years"] += 1
        if not year.is_editable:
            continue
        kinds = set(year.weights.order_by().values_list("unit_kind", flat=True))
        for kind, (party, industry, tasks) in data.WEIGHTS[number].items():
            if kind not in kinds:
                assessment_services.weights_set(
                    year=year, unit_kind=kind, party=party, industry=industry, tasks=tasks
                )
                counts["weights"] += 1
        indicators = {i.code: i for i in year.indicators.all()}
        group_points = _group_points(number)
        for order, spec in enumerate(data.CATALOG, 1):
            if number not in spec.years or spec.code in indicators:
                continue
            points = Decimal(spec.max_points) if spec.max_points else group_points[spec.code]
            indicators[spec.code] = assessment_services.indicator_create(
                year=year,
                category=spec.category,
                parent=indicators[spec.parent] if spec.parent else None,
                code=spec.code,
                name=spec.name,
                description=spec.description,
                max_points=points,
                method=spec.method,
                unit_kinds=list(spec.unit_kinds),
                lead_department=units[spec.lead] if spec.lead else None,
                is_veto=spec.is_veto,
                sort_order=order * 10,
            )
            counts["indicators"] += 1
        # Walk the status forward for a year this loader started; never undo an office's change.
        if created or year.status == AssessmentYear.Status.DRAFT:
            start = _STATUS_PATH.index(year.status)
            for step in _STATUS_PATH[start + 1 : _STATUS_PATH.index(status) + 1]:
                year = assessment_services.year_set_status(year=year, status=step)
            years[number] = year
    return counts, years


def _load_accounts(plan: Plan, units: dict[str, Unit]) -> int:
    usernames = [a[0] for a in data.ACCOUNTS]
    existing = set(
        get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    created = 0
    for username, role, scope, full_name in data.ACCOUNTS:
        if username in existing:
            continue
        common = {
            "username": username,
            "password": data.PASSWORD,
            "role": role,
            "email": f"{username}@{data.EMAIL_DOMAIN}",
        }
        if role == Role.CADRE:
            cadre = Cadre.objects.get(number=plan.principal_of(scope).number)
            cadre_services.account_create(**common, cadre=cadre, full_name=cadre.name)
        else:
            cadre_services.account_create(**common, unit=units[scope], full_name=full_name)
        created += 1
    return created


def load_demo(*, stdout=None) -> dict[str, int]:
    """Create whatever of the demo county is missing; return how many rows of each were created.

    Keys: units, cadres, moves, years, weights, indicators, accounts, and for the 2015 year as of
    October 2015 (loaded in one piece, only while the year has no targets) those of
    ``progress.COUNT_KEYS``: targets, milestones, reports, late_reports, returned_reports,
    inspections, findings, rectifications, midterm_reviews, decisions, bonus_awards, letters,
    scored_units; and for the daily assessment of 2015 (a closed moral-assessment round, ledger
    notes, integrity archive entries and the proposed annual grades; loaded in one piece, only
    while the year has no moral-assessment template) those of ``daily.DAILY_KEYS``.
    """
    plan = plan_county()
    notes = []  # written after the transaction, so a closed pipe cannot undo the load
    with transaction.atomic():
        units, created_units = _load_units(plan)
        notes.append(_("Units: %(count)d created.") % {"count": created_units})
        created_cadres, moves = _load_cadres(plan, units)
        notes.append(
            _("Cadres: %(count)d created, %(moves)d of them with a move in their post history.")
            % {"count": created_cadres, "moves": moves}
        )
        year_counts, years = _load_years(units)
        message = _(
            "Assessment years: %(years)d created, with %(weights)d weights "
            "and %(indicators)d indicators."
        )
        notes.append(message % year_counts)
        accounts = _load_accounts(plan, units)
        notes.append(_("Demo logins: %(count)d created.") % {"count": accounts})
        progress_counts = load_progress(plan, units, years.get(data.PROGRESS_YEAR))
        warning_counts = dict.fromkeys(WARNING_KEYS, 0)
        if progress_counts["targets"]:
            notes += progress_notes(progress_counts)
            notes += lead_notes(progress_counts)
            office = get_user_model().objects.get(username="office")
            warning_counts = load_warnings(years[data.PROGRESS_YEAR], by=office)
            notes += warning_notes(warning_counts)
        # Before the daily part: its proposed annual grades count the confirmed quarters.
        quarter_counts = load_quarters(years.get(data.DAILY_YEAR))
        if quarter_counts["quarter_records"]:
            notes.append(
                _(
                    "Quarterly records of 2015 (quarters 1–3): %(quarter_records)d written, "
                    "%(quarter_late)d late, %(quarter_missing)d missing; "
                    "%(quarter_good)d graded 好."
                )
                % quarter_counts
            )
        daily_counts = load_daily(plan, years.get(data.DAILY_YEAR))
        if daily_counts["moral_rounds"]:
            notes += daily_notes(daily_counts)
        history_counts = load_history(plan, units, years)
        if history_counts["history_cadre_results"]:
            notes += history_notes(history_counts)
    if stdout is not None:
        for note in notes:
            stdout.write(note)
    return {
        "units": created_units,
        "cadres": created_cadres,
        "moves": moves,
        **year_counts,
        "accounts": accounts,
        **progress_counts,
        **warning_counts,
        **quarter_counts,
        **daily_counts,
        **history_counts,
    }


def progress_summary(counts: dict[str, int]) -> str:
    """One sentence on the 2015 year as loaded (for the command's closing summary)."""
    return _(
        "The %(year)d year as it stood at the end of October: %(targets)d targets, "
        "%(reports)d progress reports, %(inspections)d inspections with %(findings)d findings "
        "and %(rectifications)d rectification items, %(scored_units)d units scored."
    ) % {"year": data.PROGRESS_YEAR, **counts}


def progress_notes(counts: dict[str, int]) -> list[str]:
    """What the load of the 2015 year created, in words."""
    year = data.PROGRESS_YEAR
    return [
        _("%(year)d targets: %(targets)d created, %(milestones)d of their monthly milestones.")
        % {"year": year, **counts},
        _(
            "Progress reports January to October: %(reports)d, %(late_reports)d of them late "
            "and %(returned_reports)d returned for correction."
        )
        % counts,
        _(
            "Inspections: %(inspections)d, with %(findings)d findings and "
            "%(rectifications)d rectification items."
        )
        % counts,
        _(
            "Mid-term reviews: %(midterm_reviews)d; decisions on graded and manual "
            "indicators: %(decisions)d; bonus awards: %(bonus_awards)d; responsibility "
            "letters: %(letters)d."
        )
        % counts,
        _("Scores computed for %(scored_units)d units.") % counts,
    ]


def demo_logins() -> list[dict[str, str]]:
    """The demo logins as they are in the database: username, role label and scope."""
    usernames = [a[0] for a in data.ACCOUNTS]
    accounts = {
        a.user.username: a
        for a in Account.objects.filter(user__username__in=usernames).select_related(
            "user", "unit", "user__cadre"
        )
    }
    rows = []
    for username in usernames:
        account = accounts.get(username)
        if account is None:
            continue
        scope = account.unit.name
        cadre = getattr(account.user, "cadre", None)
        if account.role == Role.CADRE and cadre is not None:
            scope = _("%(unit)s, own record of %(name)s") % {"unit": scope, "name": cadre.name}
        rows.append(
            {
                "username": username,
                "password": data.PASSWORD,
                "role": str(Role(account.role).label),
                "scope": scope,
            }
        )
    return rows
