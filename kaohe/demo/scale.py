"""Scale the demo county up to a city or a province, for ``make bench SCALE=...``.

The demo county is loaded once through the normal loader (``load_demo``); it is then copied
N−1 times in bulk SQL (``INSERT … SELECT``, one statement per table and copy), so a province of
110 counties builds in minutes instead of the hours 110 loader runs would take. Every copy is the
same county, deterministic by construction: the ids of copy ``k`` are the original ids plus
``k × stride`` (the stride of a table is the power of ten above its largest id), every foreign
key into the county is shifted the same way, and the few unique text columns get the copy's
number (unit codes and cadre numbers ``XX-D01`` → ``XX007-D01``, logins ``office`` →
``office_007``, ballot codes with two letters more). Rows outside the county (the city unit,
the city office's login, permissions) are neither copied nor shifted.

The tree: up to ``COUNTIES_PER_CITY`` counties sit under the demo city (临汾市); more, and a
province root (山西省, of kind ``city``: the model has no province kind) is put above it, with
as many further cities as needed, ten counties each. A login ``provinceoffice`` (an office
account at the root) is created for the root-scope measurements.

Snapshots stored as JSON (``IndicatorScore.breakdown`` names the id of the decision it was
computed from, for instance) keep the original county's ids: they are what the scoring and
bulletin services rewrite, never what they read.

Works on PostgreSQL and SQLite (the bench runs on PostgreSQL; the test on either).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from graphlib import TopologicalSorter

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection, models, transaction

from cadres.models import Account, Role, Unit

from . import data

COUNTIES_PER_CITY = 10
SCALES = {"county": 1, "city": 10, "province": 110}
PROVINCE = ("SX", "山西省")
ROOT_OFFICE = "provinceoffice"
APPS = ("cadres", "assessments", "auth")
GLOBAL_TABLES = {"auth_permission", "auth_group", "auth_group_permissions"}
SRC = "kaohe_scale_src"  # temporary table: (tbl, id) of the rows of the original county


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    table: str
    columns: list[str]
    fks: dict[str, str]  # column -> referenced table (only tables that are copied)
    stride: int = 0


def _scoped_models() -> list[type[models.Model]]:
    """Every concrete model (and many-to-many table) that holds county data."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in APPS and not meta.proxy and meta.managed:
            if meta.db_table not in GLOBAL_TABLES:
                found.append(model)
    return found


def _tables() -> list[Table]:
    """The county's tables, each after the tables it refers to (self references aside)."""
    scoped = {m._meta.db_table: m for m in _scoped_models()}
    tables, graph = {}, {}
    for name, model in scoped.items():
        fields = model._meta.concrete_fields
        fks = {
            f.column: f.related_model._meta.db_table
            for f in fields
            if f.is_relation and f.related_model._meta.db_table in scoped
        }
        tables[name] = Table(model, name, [f.column for f in fields], fks)
        graph[name] = {t for t in fks.values() if t != name}
    return [tables[name] for name in TopologicalSorter(graph).static_order()]


# The unique text columns, and how copy k makes them its own (SQL with %(k)s-style params).
def _unique_exprs(county_code: str) -> dict[tuple[str, str], str]:
    n = len(county_code) + 1
    prefixed = (
        f"CASE WHEN substr({{c}}, 1, {n - 1}) = %(county_code)s "
        f"THEN %(code_prefix)s || substr({{c}}, {n}) ELSE {{c}} || %(suffix)s END"
    )
    return {
        ("cadres_unit", "code"): prefixed,
        ("cadres_unit", "path"): "%(path_prefix)s || substr({c}, %(path_from)s)",
        ("cadres_cadre", "number"): prefixed,
        ("auth_user", "username"): "{c} || %(suffix)s",
        ("assessments_ballotcode", "code"): "{c} || %(letters)s",
        ("assessments_outboxmessage", "key"): "{c} || %(suffix)s",
        ("assessments_outboxmessage", "message_id"): "'<' || %(suffix)s || substr({c}, 2)",
    }


def _unique_groups(model: type[models.Model]) -> list[set[str]]:
    """Sets of columns that must differ between copies: unique columns, and unique sets with
    no foreign key (a set with a foreign key into the county differs already)."""
    meta = model._meta
    groups = [[f.name] for f in meta.concrete_fields if f.unique and not f.primary_key]
    groups += [list(c.fields) for c in meta.constraints if isinstance(c, models.UniqueConstraint)]
    groups += [list(g) for g in meta.unique_together]
    out = []
    for group in groups:
        fields = [meta.get_field(name) for name in group]
        if not any(f.is_relation for f in fields):
            out.append({str(f.column) for f in fields})
    return out


def _letters(k: int) -> str:
    from assessments.services.moral import CODE_ALPHABET

    base = len(CODE_ALPHABET)
    return CODE_ALPHABET[k // base % base] + CODE_ALPHABET[k % base]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _select_sources(tables: list[Table], county: Unit) -> None:
    """Fill the temporary table with the ids of the original county's rows, table by table:
    units under the county, logins of its accounts and cadres, then every row that refers to
    one of those."""
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {SRC}")
        cur.execute(f"CREATE TEMPORARY TABLE {SRC} (tbl varchar(80) NOT NULL, id bigint NOT NULL)")
        cur.execute(f"CREATE INDEX {SRC}_idx ON {SRC} (tbl, id)")
        user_table = get_user_model()._meta.db_table
        cur.execute(
            f"INSERT INTO {SRC} SELECT 'cadres_unit', id FROM cadres_unit WHERE path LIKE %s",  # noqa: S608 - names from the models
            [county.path + "%"],
        )
        units_in = f"(SELECT id FROM {SRC} WHERE tbl = 'cadres_unit')"  # noqa: S608 - names from the models
        cur.execute(
            f"INSERT INTO {SRC} SELECT DISTINCT %s, user_id FROM ("  # noqa: S608 - names from the models
            f" SELECT user_id FROM cadres_account WHERE unit_id IN {units_in}"
            f" UNION SELECT user_id FROM cadres_cadre"
            f" WHERE user_id IS NOT NULL AND unit_id IN {units_in}) AS u",
            [user_table],
        )
        for t in tables:
            if t.table in ("cadres_unit", user_table):
                continue
            refs = [
                f"{_q(col)} IN (SELECT id FROM {SRC} WHERE tbl = '{target}')"  # noqa: S608 - names from the models
                for col, target in t.fks.items()
                if target != t.table
            ]
            if refs:
                cur.execute(
                    f"INSERT INTO {SRC} SELECT %s, id FROM {_q(t.table)} WHERE {' OR '.join(refs)}",  # noqa: S608 - names from the models
                    [t.table],
                )


def _strides(tables: list[Table]) -> list[Table]:
    out = []
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT max(id) FROM {_q(t.table)}")  # noqa: S608 - names from the models
            top = cur.fetchone()[0] or 0
            out.append(Table(t.model, t.table, t.columns, t.fks, 10 ** len(str(top))))
    return out


def _copy_sql(t: Table, strides: dict[str, int], county_id: int, uniques: dict) -> str:
    exprs = []
    for col in t.columns:
        c = _q(col)
        if col == "id":
            exprs.append(f"{c} + %(k)s * {t.stride}")
        elif (t.table, col) in uniques:
            exprs.append(uniques[(t.table, col)].format(c=c))
        elif t.table == "cadres_unit" and col == "parent_id":
            exprs.append(
                f"CASE WHEN id = {county_id} THEN %(city_id)s "
                f"ELSE {c} + %(k)s * {strides['cadres_unit']} END"
            )
        elif t.table == "cadres_unit" and col == "name":
            exprs.append(f"CASE WHEN id = {county_id} THEN {c} || %(number)s ELSE {c} END")
        elif col in t.fks:
            target = t.fks[col]
            exprs.append(
                f"CASE WHEN {c} IN (SELECT id FROM {SRC} WHERE tbl = '{target}') "  # noqa: S608 - names from the models
                f"THEN {c} + %(k)s * {strides[target]} ELSE {c} END"
            )
        else:
            exprs.append(c)
    cols = ", ".join(_q(c) for c in t.columns)
    return (
        f"INSERT INTO {_q(t.table)} ({cols}) SELECT {', '.join(exprs)} FROM {_q(t.table)} "  # noqa: S608 - names from the models
        f"WHERE id IN (SELECT id FROM {SRC} WHERE tbl = '{t.table}')"
    )


def _path(*positions: int) -> str:
    return "".join(f"{p:04d}." for p in positions)


def _cities(count: int, city: Unit) -> tuple[Unit | None, list[Unit]]:
    """With more than one city: the province root above the demo city (every path moves one
    level down) and the further cities. Returns (root or None, cities in order)."""
    if count == 1:
        return None, [city]
    with connection.cursor() as cur:
        # In two steps: unique paths are checked row by row, "0001." would meet "0001.0001.".
        cur.execute("UPDATE cadres_unit SET path = 'T' || path, depth = depth + 1")
        cur.execute("UPDATE cadres_unit SET path = '0001.' || substr(path, 2)")
    root = Unit.objects.create(
        code=PROVINCE[0], name=PROVINCE[1], kind=Unit.Kind.CITY, path=_path(1), depth=0
    )
    Unit.objects.filter(pk=city.pk).update(parent=root)
    city.refresh_from_db()
    cities = [city]
    for c in range(1, count):
        cities.append(
            Unit.objects.create(
                code=f"{data.CITY[0]}{c + 1:02d}",
                name=f"{data.CITY[1]}{c + 1}",
                kind=Unit.Kind.CITY,
                parent=root,
                path=_path(1, c + 1),
                depth=1,
                sort_order=c + 1,
            )
        )
    return root, cities


def _root_office(root: Unit) -> None:
    from cadres.services.accounts import account_create

    account_create(username=ROOT_OFFICE, password=data.PASSWORD, role=Role.OFFICE, unit=root)


def scale_up(counties: int, *, per_city: int = COUNTIES_PER_CITY, stdout=None) -> dict[str, int]:
    """Copy the loaded demo county until there are ``counties`` of them, ``per_city`` to a
    city; returns the row count of every table afterwards. Refused unless the database holds
    exactly the one demo county."""
    county = Unit.objects.get(code=data.COUNTY[0])
    if Unit.objects.filter(kind=Unit.Kind.COUNTY).count() != 1:
        raise ValueError("scale_up needs the demo county alone (a fresh `load_demo`).")
    if counties < 1:
        raise ValueError("at least one county")
    city = county.parent
    if city is None:
        raise ValueError("the demo county has no city above it")
    n_cities = math.ceil(counties / per_city)
    tables = _tables()
    rules = _unique_exprs(county.code)
    unknown = [
        (t.table, group)
        for t in tables
        for group in _unique_groups(t.model)
        if not any((t.table, col) in rules for col in group)
    ]
    if unknown:
        raise ValueError(f"no rule to make these unique columns differ per copy: {unknown}")
    with transaction.atomic():
        root, cities = _cities(n_cities, city)
        county.refresh_from_db()
        _select_sources(tables, county)
        tables = _strides(tables)
        strides = {t.table: t.stride for t in tables}
        uniques = _unique_exprs(county.code)
        statements = [_copy_sql(t, strides, county.pk, uniques) for t in tables]
        city_prefix = county.path[: -len(_path(1))]  # the demo city's path
        for k in range(1, counties):
            city_index, position = divmod(k, per_city if n_cities > 1 else counties)
            prefix = cities[city_index].path if n_cities > 1 else city_prefix
            params: dict[str, str | int] = {
                "k": k,
                "county_code": county.code,
                "code_prefix": f"{county.code}{k:03d}",
                "suffix": f"_{k:03d}",
                "letters": _letters(k),
                "number": str(k + 1),
                "city_id": cities[city_index].pk,
                "path_prefix": prefix + _path(position + 1),
                "path_from": len(county.path) + 1,
            }
            with connection.cursor() as cur:
                for sql in statements:
                    cur.execute(sql, params)
            if stdout is not None and (k % 10 == 0 or k == counties - 1):
                stdout.write(f"    {k + 1} counties")
        with connection.cursor() as cur:
            for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
                cur.execute(sql)
            cur.execute(f"DROP TABLE {SRC}")
        if root is not None:
            _root_office(root)
    cache.clear()
    counts = {}
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT count(*) FROM {_q(t.table)}")  # noqa: S608 - names from the models
            counts[t.table] = cur.fetchone()[0]
    return counts


def root_office_username() -> str:
    """The office login whose scope is the root of the tree (the city, or the province)."""
    if Account.objects.filter(user__username=ROOT_OFFICE).exists():
        return ROOT_OFFICE
    return "cityoffice"
