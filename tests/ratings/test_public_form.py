"""The public rating form: no login, one rating per phone per activity, rate-limited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shegong.audit.models import AuditEvent
from shegong.ratings.models import Rating
from tests.factories import make_activity

PHONE = "13912345678"


@pytest.fixture
def activity(world):
    day = timezone.localdate() - timedelta(days=2)
    return make_activity(world.station, name="敬老茶话会", date_start=day, date_end=day)


def _rate(client, world, activity, **data):
    data = {"stars": "5", "comment": "很好", "phone": PHONE, **data}
    return client.post(f"/rate/{world.station.code}/{activity.pk}/", data)


def test_the_station_page_lists_its_activities_of_the_last_30_days(client, world, activity):
    old_day = timezone.localdate() - timedelta(days=40)
    make_activity(world.station, name="很久以前的活动", date_start=old_day, date_end=old_day)
    make_activity(
        world.neighbour,
        name="邻站的活动",
        date_start=activity.date_start,
        date_end=activity.date_end,
    )
    page = client.get(f"/rate/{world.station.code}/").content.decode()
    assert "敬老茶话会" in page
    assert "很久以前的活动" not in page and "邻站的活动" not in page


def test_a_rating_is_stored_with_the_phone_only_as_a_hash(client, world, activity):
    response = _rate(client, world, activity, comment="社工很耐心，，谢谢！")
    assert response.status_code == 302 and response.url == f"/rate/{world.station.code}/thanks/"
    rating = Rating.objects.get()
    assert (rating.stars, rating.station, rating.comment) == (
        5,
        world.station,
        "社工很耐心，谢谢！",
    )
    assert len(rating.phone_hash) == 64 and PHONE not in rating.phone_hash
    event = AuditEvent.objects.get(action="ratings.submitted")
    assert PHONE not in str(event.after) and rating.phone_hash not in str(event.after)


def test_a_second_rating_from_the_same_phone_is_refused(client, world, activity):
    _rate(client, world, activity)
    response = _rate(client, world, activity, phone="139-1234-5678", stars="1")
    assert response.status_code == 200
    assert "已经评价过该活动" in response.content.decode()
    assert Rating.objects.count() == 1


@pytest.mark.parametrize("phone", ["", "1391234567", "23912345678", "1391234567a"])
def test_it_rejects_a_phone_that_is_not_a_mainland_mobile(client, world, activity, phone):
    response = _rate(client, world, activity, phone=phone)
    assert response.status_code == 200 and not Rating.objects.exists()
    assert "手机号码" in response.content.decode()


def test_it_asks_for_stars_and_limits_the_comment(client, world, activity):
    page = _rate(client, world, activity, stars="").content.decode()
    assert "请点选 1 到 5 颗星" in page
    page = _rate(client, world, activity, stars="6").content.decode()
    assert not Rating.objects.exists()
    page = _rate(client, world, activity, comment="好" * 201).content.decode()
    assert "200 个字" in page and not Rating.objects.exists()


def test_a_comment_is_cleaned_of_links_and_phone_numbers(client, world, activity):
    _rate(client, world, activity, comment="服務很好 請聯繫13800001111 www.spam.com")
    assert Rating.objects.get().comment == "服务很好 请联系138****1111"


def test_too_many_ratings_from_one_address_are_refused(client, world, activity, settings):
    settings.RATING_RATE_LIMIT = 3
    for i in range(3):
        assert _rate(client, world, activity, phone=f"1390000000{i}").status_code == 302
    response = _rate(client, world, activity, phone="13900000009")
    assert response.status_code == 429
    assert "提交太频繁" in response.content.decode()
    assert Rating.objects.count() == 3
    other = client.post(
        f"/rate/{world.station.code}/{activity.pk}/",
        {"stars": "4", "phone": "13900000008"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_the_form_keeps_csrf_protection(world, activity):
    strict = Client(enforce_csrf_checks=True)
    assert _rate(strict, world, activity).status_code == 403
    page = strict.get(f"/rate/{world.station.code}/{activity.pk}/")
    token = page.cookies["csrftoken"].value
    response = _rate(strict, world, activity, csrfmiddlewaretoken=token)
    assert response.status_code == 302


def test_old_future_and_foreign_activities_cannot_be_rated(client, world):
    today = timezone.localdate()
    old = make_activity(
        world.station, date_start=today - timedelta(days=45), date_end=today - timedelta(days=31)
    )
    future = make_activity(
        world.station, date_start=today + timedelta(days=3), date_end=today + timedelta(days=3)
    )
    neighbours = make_activity(world.neighbour, date_start=today, date_end=today)
    for a in (old, future, neighbours):
        assert client.get(f"/rate/{world.station.code}/{a.pk}/").status_code == 404
    assert client.get("/rate/NOSUCH/").status_code == 404
    assert client.get(f"/rate/{world.district.code}/").status_code == 404  # a bureau is not rated
