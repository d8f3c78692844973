"""A small world of two counties under one city, with an account for every role."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from cadres.models import Role, Unit
from tests.factories import CadreFactory, UnitFactory, make_user


@dataclass
class County:
    county: Unit
    committee: Unit
    township: Unit
    department: Unit
    office: object
    leader: object
    liaison: object
    cadre_user: object
    cadre: object
    other_cadre: object


def build_county(city: Unit, code: str, name: str) -> County:
    county = UnitFactory(code=code, name=name, kind=Unit.Kind.COUNTY, parent=city)
    committee = UnitFactory(
        code=f"{code}-C1", name=f"{name}县直机关工委", kind=Unit.Kind.COMMITTEE, parent=county
    )
    township = UnitFactory(
        code=f"{code}-T1", name=f"{name}龙泉镇", kind=Unit.Kind.TOWNSHIP, parent=county
    )
    department = UnitFactory(
        code=f"{code}-D1", name=f"{name}财政局", kind=Unit.Kind.DEPARTMENT, parent=committee
    )
    cadre = CadreFactory(unit=township, number=f"{code}-0001", name=f"{name}张三")
    other = CadreFactory(unit=township, number=f"{code}-0002", name=f"{name}李四")
    return County(
        county=county,
        committee=committee,
        township=township,
        department=department,
        office=make_user(Role.OFFICE, county, username=f"office-{code}"),
        leader=make_user(Role.LEADER, county, username=f"leader-{code}"),
        liaison=make_user(Role.LIAISON, township, username=f"liaison-{code}"),
        cadre_user=make_user(Role.CADRE, township, username=f"cadre-{code}", cadre=cadre),
        cadre=cadre,
        other_cadre=other,
    )


@pytest.fixture
def city(db):
    return UnitFactory(code="LF", name="临汾市", kind=Unit.Kind.CITY)


@pytest.fixture
def xx(city):
    """Xi County, the county under test."""
    return build_county(city, "XX", "隰县")


@pytest.fixture
def pq(city):
    """Pu County, a neighbour that must never see Xi County's data, nor be seen by it."""
    return build_county(city, "PX", "蒲县")


@pytest.fixture
def in_english():
    """Messages in their English source words, for tests that match a message's wording
    (the site itself speaks Chinese; the catalog's completeness is tested on its own)."""
    with translation.override("en"):
        yield
