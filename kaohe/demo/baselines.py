"""Hand-written SQL for the figures the bench measures: what one query gives, for comparison.

Each function returns the same figures as a service, computed from the raw inputs in a single
statement (PostgreSQL and SQLite both run it). The bench prints the ratio of the service's
time to the query's, and whether the two agree. They are read-only and written from the
documented rules (``assessments/services/scoring.py``, ``assessments/selectors/progress.py``),
not from the services' code paths, so a disagreement is worth a look on either side.
(``1.0 *`` before a division: SQLite stores whole decimals as integers and divides them so.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from assessments.models import AssessmentYear, EarlyWarning, Indicator, Level

RATIO, BONUS = Indicator.Method.RATIO.value, Indicator.Method.BONUS.value
ISSUED = EarlyWarning.Status.ISSUED.value
MISSING, LAG = EarlyWarning.Kind.MISSING.value, EarlyWarning.Kind.LAG.value


def _in(ids: list[int]) -> str:
    return "(" + ", ".join(str(int(i)) for i in ids) + ")" if ids else "(NULL)"


def score_totals(year_ids: list[int]) -> dict[tuple[int, int], Decimal]:
    """(year id, unit id) → total score of every scored unit of the years, from targets,
    approved reports, decisions, mid-term reviews, accepted deductions, inspection findings,
    bonus awards and the year's weights: one query."""
    years = _in(year_ids)
    factor = " ".join(f"WHEN '{lv}' THEN y.factor_{lv}" for lv in Level.values)
    sql = f"""
    WITH t AS (
      SELECT t.id, t.year_id, t.unit_id, t.indicator_id, t.target_value, i.method,
             i.max_points AS m, i.category, u.kind
      FROM assessments_target t
      JOIN assessments_indicator i ON i.id = t.indicator_id
      JOIN cadres_unit u ON u.id = t.unit_id
      WHERE t.year_id IN {years} AND i.method <> '{BONUS}'
        AND EXISTS (SELECT 1 FROM assessments_categoryweights w
                    WHERE w.year_id = t.year_id AND w.unit_kind = u.kind)
    ),
    rep AS (
      SELECT target_id, actual_value FROM (
        SELECT r.target_id, r.actual_value,
               row_number() OVER (PARTITION BY r.target_id ORDER BY r.month DESC) AS rn
        FROM assessments_progressreport r JOIN t ON t.id = r.target_id
        WHERE r.status = 'approved') x
      WHERE rn = 1
    ),
    ded AS (
      SELECT d.target_id, sum(d.points) AS p
      FROM assessments_deductionentry d
      JOIN t ON t.id = d.target_id
      LEFT JOIN assessments_scoringsheet s ON s.id = d.sheet_id
      WHERE d.withdrawn_at IS NULL AND (d.sheet_id IS NULL OR s.status = 'accepted')
      GROUP BY d.target_id
    ),
    fnd AS (
      SELECT f.unit_id, f.indicator_id, sum(f.points) AS p
      FROM assessments_finding f JOIN assessments_inspection ins ON ins.id = f.inspection_id
      WHERE ins.year_id IN {years} AND f.indicator_id IS NOT NULL
      GROUP BY f.unit_id, f.indicator_id
    ),
    base AS (
      SELECT t.year_id, t.unit_id, t.kind, t.category, t.m,
        CASE t.method
          WHEN 'ratio' THEN CASE
            WHEN r.actual_value IS NULL OR t.target_value IS NULL OR t.target_value = 0 THEN 0
            ELSE t.m * (CASE WHEN 1.0 * r.actual_value / t.target_value < 1
                             THEN 1.0 * r.actual_value / t.target_value ELSE 1 END) END
          WHEN 'levels' THEN t.m * coalesce(CASE d.level {factor} END, 0)
          WHEN 'manual' THEN CASE WHEN d.points IS NULL THEN 0 WHEN d.points < 0 THEN 0
                                  WHEN d.points > t.m THEN t.m ELSE d.points END
          WHEN 'midterm' THEN coalesce(1.0 * t.m * mr.score / 100, 0)
          WHEN 'deduction' THEN CASE WHEN t.m - coalesce(ded.p, 0) > 0
                                     THEN t.m - coalesce(ded.p, 0) ELSE 0 END
        END + coalesce(fnd.p, 0) AS raw
      FROM t
      JOIN assessments_assessmentyear y ON y.id = t.year_id
      LEFT JOIN rep r ON r.target_id = t.id
      LEFT JOIN assessments_decision d ON d.target_id = t.id
      LEFT JOIN assessments_midtermreview mr ON mr.unit_id = t.unit_id AND mr.year_id = t.year_id
      LEFT JOIN ded ON ded.target_id = t.id
      LEFT JOIN fnd ON fnd.unit_id = t.unit_id AND fnd.indicator_id = t.indicator_id
    ),
    cat AS (
      SELECT year_id, unit_id, kind, category, sum(m) AS mx,
             sum(CASE WHEN raw < 0 THEN 0 WHEN raw > m THEN m ELSE raw END) AS pts
      FROM base GROUP BY year_id, unit_id, kind, category
    ),
    thirds AS (
      SELECT c.year_id, c.unit_id, sum(CASE WHEN c.mx > 0 THEN
          (CASE c.category WHEN 'party' THEN w.party WHEN 'industry' THEN w.industry
                           WHEN 'tasks' THEN w.tasks ELSE 0 END) * 1.0 * c.pts / c.mx
          ELSE 0 END) AS s
      FROM cat c JOIN assessments_categoryweights w
        ON w.year_id = c.year_id AND w.unit_kind = c.kind
      GROUP BY c.year_id, c.unit_id
    ),
    bon AS (
      SELECT year_id, unit_id, sum(p) AS p FROM (
        SELECT a.year_id, a.unit_id,
               CASE WHEN sum(a.points) < max(i.max_points) THEN sum(a.points)
                    ELSE max(i.max_points) END AS p
        FROM assessments_bonusaward a JOIN assessments_indicator i ON i.id = a.indicator_id
        WHERE a.year_id IN {years}
        GROUP BY a.year_id, a.unit_id, a.indicator_id) z
      GROUP BY year_id, unit_id
    )
    SELECT th.year_id, th.unit_id,
           th.s + CASE WHEN coalesce(bon.p, 0) < y.bonus_cap THEN coalesce(bon.p, 0)
                       ELSE y.bonus_cap END
    FROM thirds th
    JOIN assessments_assessmentyear y ON y.id = th.year_id
    LEFT JOIN bon ON bon.year_id = th.year_id AND bon.unit_id = th.unit_id
    """  # noqa: S608 - names from the models
    with connection.cursor() as cur:
        cur.execute(sql)
        return {(y, u): Decimal(str(total)) for y, u, total in cur.fetchall()}


_WARNING_TARGETS = f"""
    WITH yy AS (
      SELECT id, year, amber_min, warning_catch_up_days AS catch_up,
             CASE WHEN %(day)s > report_deadline_day THEN %(month)s ELSE %(month)s - 1 END AS m
      FROM assessments_assessmentyear WHERE status = %(status)s
    ),
    t AS (
      SELECT t.id, t.year_id, t.unit_id, t.target_value, i.method, yy.m, yy.amber_min,
             yy.catch_up, (i.method = '{RATIO}' AND t.target_value IS NOT NULL) AS num
      FROM assessments_target t
      JOIN yy ON yy.id = t.year_id AND yy.m >= 1 AND yy.year = %(year)s
      JOIN assessments_indicator i ON i.id = t.indicator_id
      WHERE NOT EXISTS (
          SELECT 1 FROM assessments_warningitem wi
          JOIN assessments_earlywarning w ON w.id = wi.warning_id
          WHERE wi.target_id = t.id AND w.year_id = yy.id AND wi.month = yy.m)
        AND NOT EXISTS (
          SELECT 1 FROM assessments_earlywarning w
          WHERE w.year_id = yy.id AND w.unit_id = t.unit_id AND w.issued_on = %(on)s)
    ),
    rep AS (
      SELECT target_id, month, actual_value FROM (
        SELECT r.target_id, r.month, r.actual_value,
               row_number() OVER (PARTITION BY r.target_id ORDER BY r.month DESC) AS rn
        FROM assessments_progressreport r JOIN t ON t.id = r.target_id
        WHERE r.status <> 'returned' AND r.month <= t.m) x
      WHERE rn = 1
    ),
    plan AS (
      SELECT t.id,
        CASE WHEN EXISTS (SELECT 1 FROM assessments_milestone ms WHERE ms.target_id = t.id)
          THEN coalesce((SELECT ms.planned_value FROM assessments_milestone ms
                         WHERE ms.target_id = t.id AND ms.month <= t.m
                         ORDER BY ms.month DESC LIMIT 1), 0)
          ELSE 1.0 * t.target_value * t.m / 12 END AS p
      FROM t
    ),
    warn AS (
      SELECT t.id, t.year_id, t.unit_id, t.m, t.catch_up,
        CASE WHEN rep.month IS NULL OR rep.month <> t.m THEN '{MISSING}' ELSE '{LAG}' END AS kind,
        CASE WHEN t.num THEN plan.p END AS plan,
        CASE WHEN t.num THEN rep.actual_value END AS actual,
        CASE WHEN t.num THEN CASE WHEN plan.p <> 0
          THEN 1.0 * coalesce(rep.actual_value, 0) / plan.p ELSE 1 END END AS ratio
      FROM t
      LEFT JOIN rep ON rep.target_id = t.id
      JOIN plan ON plan.id = t.id
    )
"""  # noqa: S608 - names from the models

# The targets to warn of: missing, or numeric and below the amber line.
_WARNED = f"""
    SELECT warn.id FROM warn JOIN t ON t.id = warn.id
    WHERE warn.kind = '{MISSING}' OR (t.num AND warn.ratio < t.amber_min)
"""  # noqa: S608 - names from the models


def _warning_params(on: dt.date) -> dict:
    return {
        "day": on.day,
        "month": on.month,
        "year": on.year,
        "on": on,
        "status": AssessmentYear.Status.IN_PROGRESS.value,
    }


def warning_candidates(on: dt.date) -> set[int]:
    """Ids of the targets a warnings check on ``on`` would put on a notice: in every
    in-progress year whose reporting period ``on`` closes, the targets not warned of that
    month yet (in units not noticed that day) whose report is missing, or whose completion
    ratio (latest counted report / plan) is below the year's amber line: one query."""
    sql = _WARNING_TARGETS + _WARNED
    with connection.cursor() as cur:
        cur.execute(sql, _warning_params(on))
        return {row[0] for row in cur.fetchall()}


def warning_writes(on: dt.date) -> dict[int, tuple]:
    """The check's writes done by hand: the candidates (as ``warning_candidates``) into a
    temporary table, one notice per unit and one item per target inserted from it, in four
    statements (no emails). Returns target id → (kind, plan, actual, ratio) as stored. Call it
    in a transaction that is rolled back."""
    catch_up = (
        "date(%(on)s, '+' || catch_up || ' days')"
        if connection.vendor == "sqlite"
        else "CAST(%(on)s AS date) + catch_up"
    )
    statements = [
        _WARNING_TARGETS.replace("WITH yy AS", "CREATE TEMPORARY TABLE bench_warn AS WITH yy AS")
        + _WARNED.replace("warn.id FROM", "warn.* FROM"),
        f"""
        INSERT INTO assessments_earlywarning (year_id, unit_id, month, issued_on, catch_up_by,
            status, catch_up_plan, closing_note)
        SELECT DISTINCT year_id, unit_id, m, %(on)s, {catch_up}, '{ISSUED}', '', ''
        FROM bench_warn
        """,  # noqa: S608 - names from the models
        """
        INSERT INTO assessments_warningitem (warning_id, target_id, month, kind, plan, actual,
            ratio)
        SELECT w.id, b.id, b.m, b.kind, b.plan, b.actual, b.ratio FROM bench_warn b
        JOIN assessments_earlywarning w
          ON w.year_id = b.year_id AND w.unit_id = b.unit_id AND w.issued_on = %(on)s
        RETURNING target_id, kind, plan, actual, ratio
        """,
    ]
    with connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql, _warning_params(on))
        written = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
        cur.execute("DROP TABLE bench_warn")
    return written
