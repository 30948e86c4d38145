"""A solicitation under a notice: units below the issuer enter approved briefs before the
deadline, the issuer's reviewers score them, and the selected ones are published together."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shegong.articles import calls, services
from tests.articles.test_articles import CLEAN, write
from tests.conftest import login
from tests.factories import make_notice, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(world):
    notice = make_notice(world.region, "内民政慈社〔2030〕2号", units=[world.city], issue=True)
    return calls.open_call(
        notice=notice,
        by=world.region_admin,
        kind="excellent",
        title="2030年社会工作优秀案例征集",
        deadline=timezone.now() + timedelta(days=10),
    )


def approved(world, extra=""):
    article = write(world, body=CLEAN + extra)
    services.submit_article(article=article, by=world.station_worker)
    services.approve_article(article=article, by=world.district_reviewer)
    return article


def test_only_the_issuer_admin_opens_a_call(world):
    notice = make_notice(world.region, "内民政慈社〔2030〕3号", units=[world.city], issue=True)
    with pytest.raises(PermissionDenied):
        calls.open_call(
            notice=notice,
            by=world.district_admin,
            kind="essay",
            title="征文",
            deadline=timezone.now() + timedelta(days=1),
        )


def test_enter_score_select_and_publish_together(world, call, client):
    first, second = approved(world, "第一篇。"), approved(world, "第二篇。")
    draft = write(world)
    with pytest.raises(ValidationError, match="审核通过"):
        calls.enter(call=call, article=draft, by=world.station_worker)
    with pytest.raises(PermissionDenied):
        calls.enter(call=call, article=first, by=world.neighbour_worker)
    one = calls.enter(call=call, article=first, by=world.station_worker)
    two = calls.enter(call=call, article=second, by=world.station_worker)
    with pytest.raises(ValidationError, match="已经报送"):
        calls.enter(call=call, article=first, by=world.station_worker)

    region_reviewer = make_user(unit=world.region, role="reviewer")
    with pytest.raises(PermissionDenied):  # the district is not the issuer
        calls.score(entry=one, by=world.district_reviewer, value=90)
    with pytest.raises(ValidationError):
        calls.score(entry=one, by=region_reviewer, value=101)
    calls.score(entry=one, by=region_reviewer, value=92)
    calls.score(entry=one, by=world.region_admin, value=88)
    calls.score(entry=two, by=region_reviewer, value=70)
    ranked = calls.entries_of(call, region_reviewer)
    assert [(e.pk, e.average) for e in ranked] == [(one.pk, 90), (two.pk, 70)]
    assert calls.entries_of(call, world.neighbour_worker) == []

    with pytest.raises(PermissionDenied):
        calls.publish_selected(call=call, by=region_reviewer, entry_ids=[one.pk])
    calls.publish_selected(call=call, by=world.region_admin, entry_ids=[one.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_published and first.is_excellent and first.published_by_unit == world.region
    assert not second.is_published
    assert client.get(f"/portal/articles/{first.pk}/").status_code == 200
    assert client.get(f"/portal/articles/{second.pk}/").status_code == 404


def test_no_entries_after_the_deadline(world, call):
    article = approved(world)
    with (
        time_machine.travel(call.deadline + timedelta(minutes=1)),
        pytest.raises(ValidationError, match="截止"),
    ):
        calls.enter(call=call, article=article, by=world.station_worker)


def test_the_call_pages(world, call, client):
    article = approved(world)
    login(client, world.station_worker)
    page = client.get(f"/articles/calls/{call.pk}/").content.decode()
    assert article.title in page and 'data-testid="enter"' in page
    client.post(f"/articles/calls/{call.pk}/enter/", {"article": article.pk})
    login(client, world.region_admin)
    entry = call.entries.get()
    client.post(f"/articles/calls/{call.pk}/entries/{entry.pk}/score/", {"score": "95"})
    assert entry.scores.get().score == 95
    client.post(f"/articles/calls/{call.pk}/publish/", {"entry": [entry.pk]})
    article.refresh_from_db()
    assert article.is_published
    login(client, world.neighbour_worker)
    assert world.station.name not in client.get(f"/articles/calls/{call.pk}/").content.decode()
