"""Units as a tree, cadres with dated posts, accounts with roles."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cadres import services
from cadres.models import Cadre, Post, Role, Unit
from cadres.scope import units_for
from tests.factories import CadreFactory, UnitFactory, make_user

pytestmark = pytest.mark.django_db


def test_units_get_tree_paths_so_a_subtree_is_one_filter():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    committee = UnitFactory(code="C", kind=Unit.Kind.COMMITTEE, parent=county)
    department = UnitFactory(code="D", kind=Unit.Kind.DEPARTMENT, parent=committee)
    township = UnitFactory(code="T", kind=Unit.Kind.TOWNSHIP, parent=county)
    assert department.path.startswith(committee.path)
    assert committee.path.startswith(county.path)
    assert (county.depth, committee.depth, department.depth) == (0, 1, 2)
    subtree = Unit.objects.filter(path__startswith=committee.path)
    assert set(subtree) == {committee, department}
    assert township not in subtree


def test_moving_a_unit_moves_its_whole_subtree():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    a = UnitFactory(code="A", kind=Unit.Kind.COMMITTEE, parent=county)
    b = UnitFactory(code="B", kind=Unit.Kind.COMMITTEE, parent=county)
    dept = UnitFactory(code="D", kind=Unit.Kind.DEPARTMENT, parent=a)
    branch = UnitFactory(code="G", kind=Unit.Kind.GRASSROOTS, parent=dept)
    services.unit_update(unit=dept, parent=b)
    dept.refresh_from_db()
    branch.refresh_from_db()
    assert dept.parent == b
    assert dept.path.startswith(b.path)
    assert branch.path.startswith(dept.path)
    assert branch.depth == 3
    assert not Unit.objects.filter(path__startswith=a.path).exclude(pk=a.pk).exists()


def test_a_unit_cannot_move_under_itself():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    a = UnitFactory(code="A", kind=Unit.Kind.COMMITTEE, parent=county)
    child = UnitFactory(code="D", kind=Unit.Kind.DEPARTMENT, parent=a)
    with pytest.raises(ValidationError):
        services.unit_update(unit=a, parent=child)
    a.refresh_from_db()
    assert a.parent == county


def test_unit_codes_are_unique():
    UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    with pytest.raises(ValidationError):
        UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    assert Unit.objects.filter(code="XX").count() == 1


def test_a_moved_cadre_keeps_one_record_with_dated_history():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    town = UnitFactory(code="T", kind=Unit.Kind.TOWNSHIP, parent=county)
    dept = UnitFactory(code="D", kind=Unit.Kind.DEPARTMENT, parent=county)
    cadre = CadreFactory(unit=town, started_on=dt.date(2010, 1, 1))
    services.cadre_move(
        cadre=cadre,
        unit=dept,
        title="副局长",
        rank="sec_deputy",
        post_kind="deputy",
        is_leading=True,
        on=dt.date(2014, 7, 1),
    )
    assert Cadre.objects.count() == 1
    cadre.refresh_from_db()
    assert (cadre.unit, cadre.title, cadre.is_leading) == (dept, "副局长", True)
    old, new = Post.objects.filter(cadre=cadre).order_by("started_on")
    assert (old.unit, old.ended_on) == (town, dt.date(2014, 6, 30))
    assert (new.unit, new.ended_on) == (dept, None)


def test_a_new_post_must_start_after_the_current_one():
    cadre = CadreFactory(started_on=dt.date(2014, 1, 1))
    with pytest.raises(ValidationError):
        services.cadre_move(
            cadre=cadre,
            unit=cadre.unit,
            title="x",
            rank="clerk",
            post_kind="staff",
            on=dt.date(2013, 1, 1),
        )
    assert cadre.posts.count() == 1
    assert cadre.posts.get().ended_on is None


def test_database_refuses_two_open_posts():
    cadre = CadreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            cadre=cadre,
            unit=cadre.unit,
            title="x",
            rank="clerk",
            post_kind="staff",
            started_on=dt.date(2015, 1, 1),
        )


def test_a_principal_leader_is_a_leading_cadre():
    with pytest.raises(ValidationError):
        CadreFactory(is_principal=True, is_leading=False)
    assert not Cadre.objects.exists()


def test_account_mirrors_its_role_as_a_group_and_cadre_accounts_link_the_cadre():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    cadre = CadreFactory(unit=UnitFactory(code="T", parent=county))
    office = make_user(Role.OFFICE, county)
    user = make_user(Role.CADRE, county, cadre=cadre)
    assert list(office.groups.values_list("name", flat=True)) == ["office"]
    cadre.refresh_from_db()
    assert cadre.user == user
    assert user.account.unit == cadre.unit


def test_cadre_account_needs_a_cadre():
    county = UnitFactory(code="XX", kind=Unit.Kind.COUNTY)
    with pytest.raises(ValidationError):
        make_user(Role.CADRE, county)


def test_cadres_see_no_units_and_liaisons_only_their_subtree(xx):
    assert not units_for(xx.cadre_user).exists()
    assert set(units_for(xx.liaison)) == {xx.township}
    assert set(units_for(xx.office)) == {xx.county, xx.committee, xx.township, xx.department}


def test_ledger_notes_are_dated_within_range_and_count_into_performance(xx):
    from assessments.models import CadreResult
    from assessments.services import grading
    from tests.factories import YearFactory

    with pytest.raises(ValidationError):
        services.ledger_note_add(
            cadre=xx.cadre,
            noted_on=dt.date(2015, 7, 1),
            kind="hard_task",
            note="x",
            points=11,
            by=xx.office,
        )
    with pytest.raises(ValidationError):
        services.ledger_note_add(
            cadre=xx.cadre,
            noted_on=dt.date(2999, 1, 1),
            kind="daily",
            note="x",
            points=1,
            by=xx.office,
        )
    services.ledger_note_add(
        cadre=xx.cadre,
        noted_on=dt.date(2015, 7, 1),
        kind="hard_task",
        note="防汛中擅离职守",
        points=-6,
        by=xx.office,
    )
    services.ledger_note_add(
        cadre=xx.cadre,
        noted_on=dt.date(2014, 7, 1),
        kind="daily",
        note="another year",
        points=-9,
        by=xx.office,
    )
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    grading.results_propose(year=year)
    assert CadreResult.objects.get(cadre=xx.cadre).performance == 94  # only 2015 counts


def test_the_ledger_is_on_the_office_page_but_not_on_my_records(client, xx):
    services.ledger_note_add(
        cadre=xx.cadre,
        noted_on=dt.date(2015, 7, 1),
        kind="key_moment",
        note="关键时刻挺身而出",
        points=3,
        by=xx.office,
    )
    client.force_login(xx.office)
    assert "关键时刻挺身而出" in client.get(f"/org/cadres/{xx.cadre.pk}/").content.decode()
    client.force_login(xx.cadre_user)
    assert "关键时刻挺身而出" not in client.get("/assess/me/").content.decode()


@pytest.mark.parametrize(
    ("url_name", "app", "section"),
    [
        ("overview", "assessments", "overview"),
        ("unit_profile", "assessments", "dashboard"),
        ("unit_archive", "assessments", "units"),
        ("team_analysis_edit", "assessments", "units"),
        ("cadre_archive", "assessments", "cadres"),
        ("cadre_registration_pdf", "assessments", "cadres"),
        ("eligibility_rules", "assessments", "selection"),
        ("training_pool", "assessments", "training"),
        ("training_list", "cadres", "training"),
        ("import_centre", "assessments", "import"),
        ("scorecard", "assessments", "years"),
        ("login", None, None),
    ],
)
def test_each_page_lights_one_navigation_item(url_name, app, section):
    from cadres.context_processors import nav_section

    assert nav_section(url_name, app) == section
