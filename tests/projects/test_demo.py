import pytest

from shegong.demo import projects as demo
from shegong.demo import units, users
from shegong.orgs.models import OrgUnit
from shegong.projects import selectors
from shegong.projects.models import Project, Worker

pytestmark = pytest.mark.django_db


def test_demo_builds_a_project_with_a_mid_term_evaluation_once():
    units.build()
    users.build()
    demo.build()
    demo.build()
    project = Project.objects.get()
    assert project.evaluations.get().stage == "mid"
    assert project.activities.count() == 3
    assessor = project.assessors.get().user
    assert assessor.username == "pinggu_demo"
    assert not assessor.memberships.exists()
    assert list(selectors.projects_visible_to(assessor)) == [project]
    station = OrgUnit.objects.get(code="S500119001")
    assert Worker.objects.filter(unit=station).count() == 5
    assert selectors.public_figures(station) == {"staff": 5, "certified": 4}
