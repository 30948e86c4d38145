"""A station's social worker records a community activity on a phone, with a photo taken
on the phone, and sees it counted towards the 南川 notice's quota of 3 社区活动."""

import os
import re
from decimal import Decimal

import pytest
from PIL import ExifTags, Image, ImageDraw
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.activities.validation import domain_names
from shegong.demo.users import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "“一老一小”敬老茶话会"
PLACE = "东城街道鼓楼坝社区党群服务中心"
DETAIL_URL = re.compile(r"/activities/(\d+)/$")
HOME_URL = re.compile(r"^https?://[^/]+/$")
# Where the photo was "taken": 南川区东城街道, as a phone writes it into EXIF.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (29.0, 9.0, 30.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (107.0, 5.0, 50.0),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def screenshot(page, path):
    """Only when asked (E2E_SCREENSHOTS=1): the pages a person should look at."""
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=path, full_page=True)


def phone_photo(path):
    """A JPEG as a phone camera writes it: 1600×1200 landscape pixels, an EXIF tag saying
    "rotate 90° to show" (the phone was held upright), the camera's make and a GPS fix."""
    image = Image.merge("RGB", [Image.effect_noise((1600, 1200), 24)] * 3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1600, 500), fill=(135, 190, 235))  # sky
    draw.ellipse((1250, 80, 1450, 280), fill=(255, 210, 60))  # sun
    for i, x in enumerate(range(150, 1500, 220)):  # people around a table
        draw.ellipse((x, 560, x + 120, 680), fill=(240, 200, 170))
        draw.rectangle((x - 10, 690, x + 130, 1000), fill=[(200, 40, 40), (40, 90, 170)][i % 2])
    draw.rectangle((80, 900, 1520, 1000), fill=(150, 100, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Xiaomi"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = GPS
    image.save(path, "JPEG", quality=90, exif=exif)
    with Image.open(path) as check:  # the fixture itself is what it claims to be
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return path


def totals(page):
    """The register's totals card as numbers: {"活动": 5, "参与": 102, "链接资金": …}."""
    out = {}
    for item in page.get_by_test_id("totals").locator("span").all():
        label = item.inner_text().split()[0]
        out[label] = Decimal(item.locator("strong").inner_text().replace(",", ""))
    return out


def open_nav(page, name):
    """On a phone the menu is folded behind the hamburger: tap it, then the item."""
    menu = page.locator("#sg-nav")
    expect(menu).to_be_hidden()
    page.locator("button.navbar-toggler").tap()
    link = menu.get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    link.tap()


def test_station_filler_records_an_activity_with_a_photo_on_a_phone(phone, demo, media, tmp_path):
    page = phone
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    photo = phone_photo(tmp_path / "IMG_20230428_093012.jpg")

    # 1. Two of the three community activities the notice asks for are done.
    sign_in(page, "dongcheng_filler", DEMO_PASSWORD)
    expect(page.get_by_test_id("current-unit")).to_have_text("东城街道社会工作站")
    expect(page.get_by_test_id("quota-community")).to_have_text("2/3")

    # 2. The register, through the folded menu.
    open_nav(page, "活动")
    page.wait_for_url("**/activities/")
    expect(page.get_by_test_id("activity-list")).to_contain_text("留守儿童四点半课堂")
    before = totals(page)
    page.get_by_role("link", name="登记活动").tap()
    page.wait_for_url("**/activities/new/")

    # 3. The form, filled as on a phone.
    notice = page.get_by_label("相关通知")
    notice.select_option(label=notice.locator("option", has_text="南川民发").inner_text())
    page.get_by_label("活动名称").fill(NAME)
    page.get_by_label("活动形式").select_option(label="社区活动")
    page.fill("#id_date_start", "2023-04-28")
    page.get_by_label("活动地点").fill(PLACE)
    page.get_by_label("参与人次").fill("35")
    page.get_by_label("受益人次").fill("50")
    page.get_by_label("链接资金（元）").fill("1200")
    page.locator("#id_domains").get_by_role("checkbox", name="老年人", exact=True).check()
    linkage = page.locator("#id_linkage")
    linkage.get_by_role("checkbox", name="社区", exact=True).check()
    linkage.get_by_role("checkbox", name="社区志愿者", exact=True).check()
    # What the person typed arrived where it should (and the filler is filled in for them).
    expect(page.get_by_label("线下", exact=True)).to_be_checked()
    expect(page.get_by_label("填报人", exact=True)).not_to_have_value("")
    page.set_input_files("#id_photos", photo)
    preview = page.get_by_test_id("photo-previews").locator("img")
    expect(preview).to_have_count(1)
    expect(preview).to_have_attribute("alt", photo.name)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    screenshot(page, "/tmp/activity_form_phone.png")
    save = page.get_by_role("button", name="保存", exact=True)
    expect(save).to_be_in_viewport()  # the sticky bar keeps it under the thumb
    save.tap()

    # 4. The saved activity, with its photo served back.
    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_test_id("activity-name")).to_have_text(NAME)
    expect(page.get_by_role("alert").filter(has_text=f"已登记活动：{NAME}")).to_be_visible()
    shown = page.get_by_test_id("photos").locator("img")
    expect(shown).to_have_count(1)
    page.wait_for_function("img => img.complete", arg=shown.element_handle())
    size = shown.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    # Loaded, and turned upright as the phone meant it (1200 wide, 1600 high).
    assert size == [1200, 1600]
    screenshot(page, "/tmp/activity_detail_phone.png")

    activity = Activity.objects.get(name=NAME)
    assert DETAIL_URL.search(page.url)[1] == str(activity.pk)
    assert (activity.unit.name, activity.notice.doc_number) == (
        "东城街道社会工作站",
        "南川民发〔2023〕10号",
    )
    assert (activity.participants, activity.beneficiaries, activity.funds) == (35, 50, 1200)
    assert activity.linkage_labels() == ["社区", "社区志愿者"]
    assert domain_names(activity.domain_mask) == ["老年人"]
    stored = activity.photos.get()
    assert stored.image.path.startswith(str(media))
    with Image.open(stored.image.path) as kept:
        assert kept.size == (1200, 1600)
        assert not kept.getexif()  # re-encoded: no camera, no location left in the file

    # Back in the register: listed, and the totals grew by exactly this activity.
    page.get_by_role("link", name="活动登记簿").tap()
    page.wait_for_url("**/activities/")
    row = page.get_by_test_id("activity-list").get_by_role("link").filter(has_text=NAME)
    expect(row).to_contain_text("2023年4月28日")
    expect(row).to_contain_text("参与 35 人次")
    after = totals(page)
    assert after["活动"] == before["活动"] + 1
    assert after["参与"] == before["参与"] + 35
    assert after["受益"] == before["受益"] + 50
    assert after["链接资金"] == before["链接资金"] + 1200
    assert after["物资折价"] == before["物资折价"]

    # 5. The quota is met.
    open_nav(page, "首页")
    page.wait_for_url(HOME_URL)
    expect(page.get_by_test_id("quota-community")).to_have_text("3/3")
    assert not errors, f"JavaScript errors on the page: {errors}"
