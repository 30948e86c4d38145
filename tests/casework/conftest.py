from datetime import date

import pytest

from shegong.casework import idnumber, services
from shegong.casework.models import CaseGroup
from shegong.orgs.models import Role
from tests.factories import make_user


def valid_id(first17="11010519491231002"):
    """An ID number that passes the GB 11643 check digit."""
    return first17 + idnumber.check_char(first17)


@pytest.fixture
def cw(world):
    """The station's 个案社工, and the neighbour's."""
    services.ensure_groups()
    world.caseworker = make_user("station_caseworker", world.station, Role.CASEWORKER)
    world.neighbour_caseworker = make_user("neighbour_caseworker", world.neighbour, Role.CASEWORKER)
    return world


def group(name="低保对象"):
    return CaseGroup.objects.get(name=name)


def open_case(world, name="张三明", id_number=None, group_name="低保对象", **kw):
    data = {
        "name": name,
        "id_number": id_number or valid_id(),
        "phone": "13800001234",
        "address": "西脑包街道宏源社区3栋2单元501",
        "members": "",
    }
    data.update(kw.pop("data", {}))
    return services.open_file(
        unit=kw.pop("unit", world.station),
        by=kw.pop("by", world.caseworker),
        kind=kw.pop("kind", "person"),
        group=group(group_name),
        data=data,
        opened_on=kw.pop("opened_on", date(2026, 1, 5)),
    )
