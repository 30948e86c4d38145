"""A brief through the real pages on the demo data: the station writes it, the check panel
marks a doubled comma, a 的 that should be 地 and a fixed expression one character off as
they type, they fix them and submit; 东河区's reviewer approves and
publishes it, and the public portal shows it to a visitor who is not signed in."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from shegong.articles.models import Article
from shegong.demo.users import DEMO_PASSWORD
from tests.e2e.conftest import sign_in
from tests.e2e.test_notice_flow import screenshot, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "西脑包街道社会工作服务站开展防诈骗宣传进社区活动"
BODY = (
    "3月23日上午，西脑包街道社会工作服务站在宏源社区党群服务中心开展防诈骗宣传活动，，"
    "社会工作者和社区志愿者耐心的为辖区50余名老年人讲解常见诈骗手法，共有70人次参与。"
    "社工站将推动“五社联东”走深走实。"
)
FIXED = BODY.replace("，，", "，").replace("耐心的为", "耐心地为").replace("五社联东", "五社联动")


def picture(tmp_path):
    path = tmp_path / "现场.jpg"
    Image.new("RGB", (800, 600), (90, 140, 200)).save(path, format="JPEG")
    return path


def test_write_fix_submit_approve_publish_and_read_on_the_portal(demo, page, tmp_path):
    sign_in(page, "xinaobao_filler", DEMO_PASSWORD)
    page.goto("/articles/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    panel = page.get_by_test_id("check-panel")
    expect(panel.locator("[data-code=P01]")).to_be_visible()
    expect(panel.locator("mark.sg-error")).to_have_text(["，，", "耐心的为", "五社联东"])
    expect(panel.locator("[data-code=D01]")).to_contain_text("耐心地为")
    expect(panel.locator("[data-code=O05]")).to_contain_text("五社联动")
    page.set_input_files("#id_photos", str(picture(tmp_path)))
    page.fill("#id_caption", "社会工作者讲解防诈骗知识")
    page.get_by_test_id("submit").click()
    # Refused: the error is listed, and nothing typed is lost.
    expect(page.locator(".alert-danger, .alert-error").first).to_contain_text("还不能提交")
    expect(page.locator("#id_body")).to_have_value(BODY)
    screenshot(page, "/tmp/e2e-article-refused.png")

    page.fill("#id_body", FIXED)
    expect(panel.locator("[data-code=P01]")).to_have_count(0)
    expect(panel.locator("[data-code=D01]")).to_have_count(0)
    expect(panel.locator("[data-code=O05]")).to_have_count(0)
    page.get_by_test_id("submit").click()
    expect(page.locator("main")).to_contain_text("已提交上级审核")
    article = Article.objects.get(title=TITLE)
    assert article.status == "submitted" and article.version == 2
    sign_out(page)

    sign_in(page, "donghe_reviewer", DEMO_PASSWORD)
    page.goto("/articles/?tab=review")
    page.get_by_text(TITLE).click()
    page.get_by_test_id("review").get_by_role("button", name="审核通过").click()
    page.get_by_test_id("hold").get_by_role("button", name="发布到门户").click()
    expect(page.get_by_test_id("history")).to_contain_text("发布到门户")
    expect(page.get_by_test_id("provenance")).to_contain_text("东河区民政局")
    screenshot(page, "/tmp/e2e-article-detail.png")
    sign_out(page)

    page.goto("/portal/")
    page.get_by_test_id("latest").get_by_text(TITLE).click()
    expect(page.get_by_test_id("title")).to_have_text(TITLE)
    expect(page.locator("figcaption")).to_have_text("社会工作者讲解防诈骗知识")
    screenshot(page, "/tmp/e2e-portal-detail.png")
