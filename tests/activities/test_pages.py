"""The register pages: scope, filters, totals, the form, photos, the neighbour test."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shegong.activities.models import Activity, ActivityPhoto
from tests.conftest import login
from tests.factories import make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps(size=(2400, 1600)):
    """A JPEG as a phone makes it: big, with EXIF including a GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (40.0, 35.0, 10.0), 3: "E", 4: (109.0, 50.0, 20.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def _form(**overrides):
    data = {
        "name": "社区防诈骗宣传",
        "activity_type": "",
        "date_start": "2030-03-20",
        "mode": "offline",
        "place": "宏源社区",
        "participants": "30",
        "beneficiaries": "80",
        "funds": "500",
        "domains": ["老年人"],
        "linkage": ["1", "4"],
    }
    data.update(overrides)
    return data


def test_a_filler_records_an_activity_with_a_photo_through_the_form(client, world):
    login(client, world.station_worker)
    response = client.post("/activities/new/", {**_form(), "photos": [jpeg_with_gps()]})
    assert response.status_code == 302
    a = Activity.objects.get()
    assert (a.unit, a.participants, a.domain_mask, a.linkage) == (world.station, 30, 1, 5)
    photo = ActivityPhoto.objects.get(activity=a)
    stored = Image.open(photo.image.path)
    assert max(stored.size) == 1920
    assert not stored.getexif(), "EXIF (and the GPS position in it) must be gone"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(client, world):
    login(client, world.station_worker)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post("/activities/new/", {**_form(), "photos": [fake]})
    assert response.status_code == 200
    assert "不是可以识别的图片" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_bmp_is_refused_by_content_even_when_named_jpg(client, world):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    login(client, world.station_worker)
    upload = SimpleUploadedFile("photo.jpg", out.getvalue())
    response = client.post("/activities/new/", {**_form(), "photos": [upload]})
    assert "BMP 格式" in response.content.decode()


def test_form_errors_name_the_field(client, world):
    login(client, world.station_worker)
    response = client.post("/activities/new/", _form(name="", participants="-3"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="name"' in body and 'data-field="participants"' in body


def test_the_check_endpoint_reports_warnings_without_saving(client, world):
    login(client, world.station_worker)
    response = client.post("/activities/check/", _form(participants="1", beneficiaries="500"))
    assert "100 倍以上" in response.content.decode()
    assert not Activity.objects.exists()


def test_neighbour_station_cannot_read_or_change_an_activity(client, world):
    a = make_activity(world.station, by=world.station_worker)
    login(client, world.neighbour_worker)
    assert client.get(f"/activities/{a.pk}/").status_code == 404
    assert client.get(f"/activities/{a.pk}/edit/").status_code == 404
    assert client.post(f"/activities/{a.pk}/delete/").status_code == 404
    assert a.name not in client.get("/activities/").content.decode()
    a.refresh_from_db()
    assert a.deleted_at is None


def test_a_supervisor_reads_but_cannot_change(client, world):
    a = make_activity(world.station)
    login(client, world.district_reviewer)
    assert client.get(f"/activities/{a.pk}/").status_code == 200
    assert client.get(f"/activities/{a.pk}/edit/").status_code == 403


def test_photos_are_served_only_within_scope(client, world):
    login(client, world.station_worker)
    client.post("/activities/new/", {**_form(), "photos": [jpeg_with_gps((400, 300))]})
    a = Activity.objects.get()
    photo = a.photos.get()
    assert client.get(f"/activities/{a.pk}/photos/{photo.pk}/").status_code == 200
    login(client, world.neighbour_worker)
    assert client.get(f"/activities/{a.pk}/photos/{photo.pk}/").status_code == 404


def test_the_district_list_shows_both_stations_with_totals_and_filters(client, world):
    make_activity(world.station, name="助老义诊", participants=10, beneficiaries=20)
    make_activity(
        world.neighbour,
        name="儿童安全课堂",
        participants=5,
        beneficiaries=7,
        domains=["儿童青少年"],
        date_start=date(2030, 3, 25),
        date_end=date(2030, 3, 25),
    )
    login(client, world.district_reviewer)
    body = client.get("/activities/").content.decode()
    assert "助老义诊" in body and "儿童安全课堂" in body
    assert "活动 <strong>2</strong> 场" in body and "参与 <strong>15</strong> 人次" in body
    filtered = client.get("/activities/", {"domain": "3"}).content.decode()
    assert "儿童安全课堂" in filtered and "助老义诊" not in filtered
    dated = client.get("/activities/", {"date_from": "2030-03-24"}).content.decode()
    assert "助老义诊" not in dated
    by_unit = client.get("/activities/", {"unit": world.station.code}).content.decode()
    assert "儿童安全课堂" not in by_unit


def test_a_station_list_never_shows_a_neighbours_activities_via_the_unit_filter(client, world):
    make_activity(world.neighbour, name="邻居的活动")
    login(client, world.station_worker)
    body = client.get("/activities/", {"unit": world.neighbour.code}).content.decode()
    assert "邻居的活动" not in body
