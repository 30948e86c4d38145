from datetime import date
from decimal import Decimal

import pytest

from shegong.orgs.models import Kind
from shegong.projects import reference, services
from shegong.projects.models import Criterion, ProjectDomain
from tests.factories import make_unit, make_user


@pytest.fixture
def pw(world):
    """The world with a social-work agency under the district bureau, the two lists, and a
    third-party assessor in no unit."""
    reference.load(ProjectDomain, Criterion)  # a transactional test may have emptied them
    world.agency = make_unit(
        world.district, "东河区同心社会工作服务中心", Kind.AGENCY, code="O150202-01"
    )
    world.agency_worker = make_user("agency_worker", world.agency)
    world.assessor = make_user("pinggu")
    return world


def project_data(world, **overrides):
    data = {
        "name": "西脑包街道“一老一小”关爱服务项目",
        "catalogue_no": "DH-2030-01",
        "domain": ProjectDomain.objects.get(name="老年人服务"),
        "contractor": world.agency,
        "stations": [world.station],
        "budget": Decimal("300000.00"),
        "start_date": date(2030, 1, 1),
        "end_date": date(2030, 12, 31),
        "description": "为辖区老年人和儿童提供关爱服务。",
        "targets": {"served": 1000, "activities": 10, "visits": 40},
    }
    data.update(overrides)
    return data


def make_project(world, **overrides):
    return services.save_project(
        issuer=world.district, by=world.district_admin, data=project_data(world, **overrides)
    )


def all_scores(value=None):
    """A score for every active criterion: `value` each, or the full score."""
    return {
        c.pk: Decimal(value if value is not None else c.max_score)
        for c in Criterion.objects.filter(is_active=True)
    }
