from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from shegong.supervision import selectors, services
from shegong.supervision.models import Item, ItemStatus, Visit
from tests.conftest import login

from .helpers import make_visit


def test_the_district_records_a_visit_through_the_form(client, world):
    login(client, world.district_reviewer)
    today = timezone.localdate()
    response = client.post(
        reverse("supervision_visit_new"),
        {
            "station": world.station.pk,
            "date": today.isoformat(),
            "supervisor_name": "张督导",
            "supervisor_kind": "bureau",
            "findings": "台账不全",
            "item0-what": "补齐台账",
            "item0-due": (today + timedelta(days=10)).isoformat(),
            "item0-responsible": "李娜",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert [i.what for i in visit.items.all()] == ["补齐台账"]


def test_a_station_filler_has_no_form_to_record_visits(client, world):
    login(client, world.station_worker)
    assert client.get(reverse("supervision_visit_new")).status_code == 403


def test_the_station_admin_may_record_visits_to_its_rooms_only(client, world):
    login(client, world.station_admin)
    response = client.get(reverse("supervision_visit_new"))
    assert list(response.context["form"].fields["station"].queryset) == [world.room]


def test_the_station_reports_and_the_district_verifies_through_the_pages(client, world):
    visit = make_visit(world)
    item = visit.items.first()
    login(client, world.station_worker)
    page = client.get(reverse("supervision_visit", args=[visit.pk])).content.decode()
    assert "报告已整改" in page and "验收销号" not in page
    client.post(reverse("supervision_item_report", args=[item.pk]), {"note": "已补齐"})
    login(client, world.district_reviewer)
    page = client.get(reverse("supervision_visit", args=[visit.pk])).content.decode()
    assert "验收销号" in page
    client.post(reverse("supervision_item_verify", args=[item.pk]), {"note": "合格", "accept": "1"})
    assert Item.objects.get(pk=item.pk).status == ItemStatus.CLOSED


def test_the_district_sees_the_open_items_of_its_stations_with_filters(client, world):
    make_visit(world)
    login(client, world.district_reviewer)
    response = client.get(reverse("supervision_index"))
    assert len(response.context["items"]) == 2
    response = client.get(reverse("supervision_index") + "?status=overdue")
    assert [i.what for i in response.context["items"]] == ["活动室消防通道堆放杂物"]
    response = client.get(
        reverse("supervision_index") + f"?status=open&station={world.neighbour.code}"
    )
    assert len(response.context["items"]) == 2  # not a station with visits: ignored


def test_a_neighbour_gets_404_on_the_visit_and_its_items(client, world):
    visit = make_visit(world)
    item = visit.items.first()
    login(client, world.neighbour_worker)
    assert client.get(reverse("supervision_visit", args=[visit.pk])).status_code == 404
    for name in ("supervision_item_report", "supervision_item_verify"):
        response = client.post(reverse(name, args=[item.pk]), {"note": "x"})
        assert response.status_code == 404
    response = client.post(reverse("supervision_item_add", args=[visit.pk]), {"what": "x"})
    assert response.status_code == 404
    assert client.get(reverse("supervision_index")).context["items"] == []


def test_due_items_reach_the_station_and_the_district_but_not_the_neighbour(world):
    today = timezone.localdate()
    make_visit(world)
    far = make_visit(
        world,
        items=[{"what": "远期事项", "due": today + timedelta(days=30), "responsible": "李娜"}],
    )
    for user in (world.station_worker, world.district_reviewer):
        due = selectors.due_items(user, today)
        assert [d["kind"] for d in due] == ["督导整改", "督导整改"]
        assert due[0]["due"] < today
        assert due[0]["url"] == reverse("supervision_visit", args=[due[0]["url"].split("/")[-2]])
    assert selectors.due_items(world.neighbour_worker, today) == []
    assert far.items.count() == 1


def test_figures_count_visits_and_items_of_the_subtree(world):
    today = timezone.localdate()
    visit = make_visit(world)
    item = visit.items.get(what__startswith="服务台账")
    services.report_done(item=item, note="已整改", by=world.station_worker)
    services.verify(item=item, note="合格", by=world.district_reviewer)
    got = selectors.figures(world.district.path, date(today.year - 1, 1, 1), today)
    assert got == {"visits": 1, "items_open": 1, "items_overdue": 1, "items_closed": 1}
    assert set(got) == set(selectors.LABELS)
    assert selectors.figures(world.neighbour.path, date(2000, 1, 1), today)["visits"] == 0
