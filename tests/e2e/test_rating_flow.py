"""A resident rates an activity on a phone through the station's QR form (no login), and
the station's social worker then sees the rating and its comment on the ratings page."""

import os
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.ratings.models import Rating
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_activity, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMMENT = "社工很耐心，老人们都很开心。"


def screenshot(page, path):
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=path, full_page=True)


def test_a_rating_through_the_qr_form_reaches_the_stations_ratings_page(phone, page):
    world = make_world()
    day = timezone.localdate() - timedelta(days=1)
    activity = make_activity(world.station, name="敬老茶话会", date_start=day, date_end=day)

    # The QR code opens the station's list of recent activities on the phone.
    phone.goto(f"/rate/{world.station.code}/")
    phone.get_by_role("link", name=re.compile("敬老茶话会")).tap()
    expect(phone.get_by_test_id("rate-activity")).to_have_text("敬老茶话会")
    # The stars are big enough to tap with a thumb.
    star = phone.locator("label[for=star4]")
    box = star.bounding_box()
    assert box["width"] >= 40 and box["height"] >= 40
    phone.get_by_test_id("rate-submit").tap()
    expect(phone.get_by_text("请点选 1 到 5 颗星")).to_be_visible()
    star = phone.locator("label[for=star4]")
    star.tap()
    phone.fill("#id_comment", COMMENT)
    phone.fill("#id_phone", "139 1234 5678")
    screenshot(phone, "/tmp/rate_form_phone.png")
    phone.get_by_test_id("rate-submit").tap()
    expect(phone.get_by_test_id("rate-thanks")).to_be_visible()
    rating = Rating.objects.get()
    assert (rating.activity_id, rating.stars, rating.comment) == (activity.pk, 4, COMMENT)

    # The same phone cannot rate the same activity twice.
    phone.goto(f"/rate/{world.station.code}/{activity.pk}/")
    phone.locator("label[for=star1]").tap()
    phone.fill("#id_phone", "13912345678")
    phone.get_by_test_id("rate-submit").tap()
    expect(phone.get_by_text("已经评价过该活动")).to_be_visible()
    assert Rating.objects.count() == 1

    sign_in(page, world.station_worker.username, PASSWORD)
    page.goto("/ratings/")
    expect(page.get_by_test_id("comments")).to_contain_text(COMMENT)
    expect(page.get_by_test_id("by-activity")).to_contain_text("敬老茶话会")
    expect(page.get_by_test_id("rating-total").locator(".sg-stat-num").first).to_have_text("4.00")
    screenshot(page, "/tmp/ratings_index.png")
