"""factory_boy factories. Units are built through the service so their tree paths are right."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from assessments.models import AssessmentYear, Category, CategoryWeights, Indicator
from cadres import services as cadre_services
from cadres.models import Cadre, PostKind, Rank, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = Unit.Kind.TOWNSHIP
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cadre_services.unit_create(**kwargs)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    number = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"干部{n}")
    gender = Cadre.Gender.MALE
    unit = factory.SubFactory(UnitFactory)
    title = "科员"
    rank = Rank.STAFF_1
    post_kind = PostKind.STAFF
    started_on = dt.date(2012, 3, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cadre_services.cadre_create(**kwargs)


def make_user(role: str, unit: Unit, *, username: str | None = None, cadre: Cadre | None = None):
    """A login with an account of ``role`` scoped to ``unit`` (or linked to ``cadre``)."""
    username = username or f"{role}-{unit.code}-{get_user_model().objects.count()}"
    return cadre_services.account_create(
        username=username, password="pw-123456", role=role, unit=unit, cadre=cadre
    )


class YearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentYear

    year = 2015
    status = AssessmentYear.Status.DRAFT


class WeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryWeights

    unit_kind = Unit.Kind.TOWNSHIP
    party = 30
    industry = 40
    tasks = 30


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    category = Category.PARTY
    code = factory.Sequence(lambda n: f"X{n}")
    name = factory.Sequence(lambda n: f"指标{n}")
    max_points = 10
    method = Indicator.Method.LEVELS
    unit_kinds = factory.LazyFunction(lambda: [Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT])


def bulletin_towns(xx, year):
    """Three townships of ``xx`` on a 1200-mu target in ``year``: one on plan, one lagging
    badly, one not reporting in October; their heads, and the county's leader, have email
    addresses. Used by the bulletin tests and the integration test. Returns the townships."""
    import datetime as dt
    from decimal import Decimal

    from assessments.services.progress import progress_approve, progress_submit
    from assessments.services.targets import target_assign
    from cadres.services import unit_update

    indicator = IndicatorFactory(
        year=year,
        code="I1",
        category="industry",
        method="ratio",
        unit_kinds=["township"],
        name="新植玉露香梨",
    )
    towns = [xx.township] + [
        UnitFactory(code=f"XX-T{i}", name=f"乡{i}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for i in (2, 3)
    ]
    for town in towns:
        unit_update(unit=town, head_email=f"head-{town.code.lower()}@example.gov.cn")
    targets = [
        target_assign(indicator=indicator, unit=t, target_value=Decimal(1200)) for t in towns
    ]
    when = dt.datetime(2015, 10, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for target, actual in zip(targets[:2], ("1000", "300"), strict=True):
        report = progress_submit(
            target=target,
            month=10,
            actual_value=Decimal(actual),
            narrative="进展",
            by=xx.liaison,
            now=when,
        )
        progress_approve(report=report, by=xx.office)
    xx.leader.email = "leader@example.gov.cn"
    xx.leader.save()
    return towns
