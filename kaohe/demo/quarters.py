"""The demo county's quarterly daily assessment of 2015: every assessed cadre's work records of
quarters 1 to 3 (a few late, a few never written), graded and confirmed, within the 40 % cap
on 好 per unit; quarter 4 is still open (its window begins after the year ends).

Planned in memory from ``random.Random(QUARTER_SEED)`` (the same every time) and written with
``bulk_create`` (thousands of rows in a few queries), only while the year has no quarterly
record. Grades are recorded in the grade history as the services would.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from assessments.models import AssessmentYear, QuarterGradeChange, QuarterRecord
from assessments.services.quarterly import quarter_end
from cadres.models import ASSESSED_KINDS, Cadre

QUARTER_SEED = 20151015
QUARTER_KEYS = ("quarter_records", "quarter_late", "quarter_missing", "quarter_good")
GOOD_SHARE = 40

WORK = [
    "牵头完成{topic}专项工作，累计走访群众{n}户，收集意见建议{m}条并逐条落实。",
    "扎实推进{topic}，按月召开推进会{m}次，完成年度任务的{p}%。",
    "认真落实“三严三实”专题教育要求，撰写心得体会{m}篇，讲专题党课1次。",
    "配合做好{topic}，深入{m}个村（社区）督导检查，整改问题{n}个。",
    "按时完成上级交办的{topic}任务，报送信息{m}篇，被县级以上采用{k}篇。",
    "坚持周例会制度，梳理分管领域重点工作{m}项，逐项明确责任人和时限。",
]
TASKS = [
    "参与防汛抗旱值班{m}天，及时处置险情。",
    "承担{topic}攻坚任务，节假日坚守岗位。",
    "完成脱贫攻坚精准识别“回头看”入户核查{n}户。",
    "参与信访积案化解，包案{k}件，化解{k}件。",
    "配合完成森林防火督查，检查重点部位{m}处。",
]
PROBLEMS = [
    "统筹协调能力还需提高，个别工作进度偏慢。下季度将细化计划，按周盯进度。",
    "理论学习系统性不够。下季度每月精读一本专业书籍，做好学习笔记。",
    "深入基层调研不够。下季度计划下村调研不少于{m}次。",
    "业务创新不足。下季度学习先进地区经验，提出改进措施。",
]
TOPICS = [
    "“两学一做”学习教育",
    "农村人居环境整治",
    "招商引资",
    "安全生产大检查",
    "精准扶贫",
    "重点项目建设",
    "基层党组织标准化建设",
    "秋粮收购",
]
COMMENTS = {
    "good": ["工作主动，成效明显。", "完成任务出色，群众认可度高。", "担当作为，表现突出。"],
    "fair": ["能够完成本职工作。", "工作较扎实，仍有提升空间。", "履职尽责，效果较好。"],
    "average": ["工作进度偏慢，需加强。", "主动性不够，部分任务滞后。"],
    "poor": ["交办任务未按时完成，需限期改进。"],
}


def _fill(rng: random.Random, text: str) -> str:
    return text.format(
        topic=rng.choice(TOPICS),
        n=rng.randint(12, 180),
        m=rng.randint(2, 12),
        k=rng.randint(1, 5),
        p=rng.randint(70, 100),
    )


def _record_text(rng: random.Random) -> tuple[str, str, str]:
    work = "".join(_fill(rng, t) for t in rng.sample(WORK, rng.randint(2, 3)))
    tasks = "".join(_fill(rng, t) for t in rng.sample(TASKS, rng.randint(1, 2)))
    return work, tasks, _fill(rng, rng.choice(PROBLEMS))


def _unit_grades(rng: random.Random, n: int) -> list[str]:
    """n grades with at most 40 % 好 (rounded down), mostly 较好, a few 一般, rarely 较差."""
    cap = math.floor(GOOD_SHARE * n / 100)
    goods = min(cap, max(0, round(n * rng.uniform(0.2, 0.4))))
    rest = [
        rng.choices(["fair", "average", "poor"], weights=[85, 12, 3])[0] for _ in range(n - goods)
    ]
    grades = ["good"] * goods + rest
    rng.shuffle(grades)
    return grades


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
    )


def load_quarters(year: AssessmentYear | None) -> dict[str, int]:
    """Write quarters 1–3 of ``year`` unless it already has a quarterly record."""
    counts = dict.fromkeys(QUARTER_KEYS, 0)
    if year is None or QuarterRecord.objects.filter(year=year).exists():
        return counts
    office = get_user_model().objects.filter(username="office").first()
    if office is None:
        return counts
    rng = random.Random(QUARTER_SEED)
    cadres = list(
        Cadre.objects.filter(
            unit__path__startswith=year.county.path, unit__kind__in=ASSESSED_KINDS, is_active=True
        )
        .select_related("user")
        .order_by("unit__path", "number")
    )
    by_unit: dict[int, list[Cadre]] = defaultdict(list)
    for cadre in cadres:
        by_unit[cadre.unit_id].append(cadre)
    principals = {c.unit_id: c for c in cadres if c.is_principal}
    records: list[QuarterRecord] = []
    for quarter in (1, 2, 3):
        end = quarter_end(year.year, quarter)
        for unit_id, members in by_unit.items():
            written = [c for c in members if rng.random() > 0.03 or c.is_principal]
            for cadre, grade in zip(written, _unit_grades(rng, len(written)), strict=True):
                late = rng.random() < 0.08
                day = end + dt.timedelta(days=rng.randint(16, 25) if late else rng.randint(1, 15))
                work, tasks, problems = _record_text(rng)
                principal = principals.get(unit_id)
                grader = office if cadre.is_principal or principal is None else principal.user
                records.append(
                    QuarterRecord(
                        year=year, cadre=cadre, unit_id=unit_id, quarter=quarter,
                        work_done=work, key_tasks=tasks, problems_plans=problems,
                        submitted_at=_at(day, rng), late=late, grade=grade,
                        comment=rng.choice(COMMENTS[grade]), graded_by=grader or office,
                        graded_at=_at(end + dt.timedelta(days=18), rng),
                        confirmed_at=_at(end + dt.timedelta(days=20), rng),
                    )
                )  # fmt: skip
            counts["quarter_missing"] += len(members) - len(written)
    QuarterRecord.objects.bulk_create(records, batch_size=500)
    saved = QuarterRecord.objects.filter(year=year).order_by("pk")
    QuarterGradeChange.objects.bulk_create(
        (
            QuarterGradeChange(
                record=r, before="", after=r.grade, reason=r.comment, by_id=r.graded_by_id
            )
            for r in saved.only("pk", "grade", "comment", "graded_by_id")
        ),
        batch_size=500,
    )
    graded_at = QuarterRecord.objects.filter(pk=OuterRef("record_id")).values("graded_at")[:1]
    QuarterGradeChange.objects.filter(record__year=year).update(at=Subquery(graded_at))
    counts["quarter_records"] = len(records)
    counts["quarter_late"] = sum(r.late for r in records)
    counts["quarter_good"] = sum(r.grade == "good" for r in records)
    return counts
