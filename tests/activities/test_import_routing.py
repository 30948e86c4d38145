"""A bureau's consolidated table (一表汇总): imported once, each row lands in the unit of the
bureau's subtree that its organiser names; ties and misses wait for the clerk's choice,
which is remembered; nothing lands outside the subtree."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shegong.activities import export, services, table_import
from shegong.activities.models import Activity, ActivityImport, ImportStatus, OrganiserChoice
from tests.activities.test_import import run_cli, xlsx
from tests.conftest import login
from tests.factories import make_activity, make_unit

pytestmark = pytest.mark.django_db

HEADER = ["活动名称", "参与活动的单位或社会组织名称", "参与人次", "活动开展时间", "活动地点"]


def row(name, organiser, participants=10, day="2022-03-20", place="社区"):
    return [name, organiser, participants, day, place]


def route(data, world, **kwargs):
    return table_import.plan_import(data, unit=world.district, route=True, **kwargs)


def units_of(p):
    return {r.number: r.unit.code for r in p.accepted}


def test_rows_go_to_units_by_full_name_short_name_and_a_name_within_the_text(world):
    world.station.short_name = "西脑包站"
    world.station.save()
    rows = [
        row("助老", "西脑包街道社会工作服务站"),
        row("助残", "西脑包站"),
        row("助学", "东河区西脑包街道社会工作服务站"),  # contains the station's name
        row("家访", "宏源社区"),  # within the room's name
        row("宣传", "东河区民政局"),  # the bureau itself
    ]
    p = route(xlsx([HEADER, *rows]), world)
    assert not p.rejected, p.rejected
    assert units_of(p) == {
        2: world.station.code,
        3: world.station.code,
        4: world.station.code,
        5: world.room.code,
        6: world.district.code,
    }
    how = {m.text: m.how for m in p.matches.values()}
    assert how["西脑包站"] == "short_name" and how["宏源社区"] == "contains"
    # A guess by containment is said, with the organiser column's name.
    assert any("宏源社区" in w["message"] and "请核对" in w["message"] for w in p.warnings)
    assert table_import.apply_plan(p, by=world.district_admin) == (5, 0)
    assert Activity.objects.filter(unit=world.room).count() == 1


def test_a_tie_and_a_miss_are_rejected_with_reasons_until_the_clerk_chooses(world):
    make_unit(world.neighbour, "宏源社区社会工作室", code="R2")  # the same name elsewhere
    rows = [row("家访", "宏源社区社会工作室"), row("义诊", "某某志愿者协会"), row("讲座", None)]
    p = route(xlsx([HEADER, *rows]), world)
    assert not p.accepted
    reasons = {r["row"]: r for r in p.rejected}
    assert reasons[2]["column"] == "参与活动的单位或社会组织（团队）名称"
    assert "对应多个单位" in reasons[2]["message"] and "宏源社区社会工作室" in reasons[2]["message"]
    assert "找不到" in reasons[3]["message"] and reasons[3]["value"] == "某某志愿者协会"
    assert "没有填写" in reasons[4]["message"]

    chosen = {"units": {"宏源社区社会工作室": "R2"}, "fallback": world.station.code}
    p = route(xlsx([HEADER, *rows]), world, choices=chosen)
    assert units_of(p) == {2: "R2", 3: world.station.code, 4: world.station.code}
    table_import.apply_plan(p, by=world.district_admin)
    # The choice is remembered for this subtree; the fallback is not.
    choice = OrganiserChoice.objects.get()
    assert (choice.scope, choice.text, choice.unit.code) == (
        world.district,
        "宏源社区社会工作室",
        "R2",
    )
    again = route(xlsx([HEADER, row("小组", "宏源社区社会工作室")]), world)
    assert units_of(again) == {2: "R2"}
    assert next(iter(again.matches.values())).how == "remembered"


def test_nothing_is_stored_outside_the_subtree(world):
    rows = [row("家访", "和平路街道社会工作服务站"), row("义诊", "西脑包街道社会工作服务站")]
    # The station's clerk routes within the station's own subtree: the neighbour is not there.
    p = table_import.plan_import(
        xlsx([HEADER, *rows]),
        unit=world.station,
        route=True,
        choices={"units": {"和平路街道社会工作服务站": world.neighbour.code}},
    )
    assert units_of(p) == {3: world.station.code}
    assert "不是本单位或下级单位" in " ".join(w["message"] for w in p.warnings)
    assert [r["row"] for r in p.rejected] == [2]
    # And the service refuses a target outside, whoever asks.
    values = p.accepted[0].values
    with pytest.raises(PermissionDenied):
        services.import_activities(
            unit=world.station, new=[(world.neighbour, values)], by=world.station_worker
        )
    assert not Activity.objects.filter(unit=world.neighbour).exists()


def test_a_station_filler_cannot_route_into_units_below_a_bureau(world):
    p = route(xlsx([HEADER, row("助老", "西脑包街道社会工作服务站")]), world)
    with pytest.raises(PermissionDenied):
        table_import.apply_plan(p, by=world.station_worker)
    assert not Activity.objects.exists()


def test_our_own_subtree_export_routes_back_by_its_unit_column(world):
    make_activity(world.station, name="助老服务")
    make_activity(world.room, name="儿童小组")
    rows = Activity.objects.filter(world.district.subtree_q("org_path")).order_by("org_path")
    data = export.attachment1_xlsx(rows, title="东河区汇总", unit_column=True)
    p = route(data, world)
    assert not p.rejected
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert {r.values["name"]: r.unit for r in p.accepted} == {
        "助老服务": world.station,
        "儿童小组": world.room,
    }


def test_the_command_routes_and_adds_each_rows_unit_to_its_json(world, tmp_path):
    path = tmp_path / "汇总表.xlsx"
    rows = [row("助老", "西脑包街道社会工作服务站"), row("义诊", "某协会")]
    path.write_bytes(xlsx([HEADER, *rows]))
    args = ["--unit", world.district.code, "--route", "--json"]
    code, out = run_cli(path, *args, "--map", f"某协会={world.room.code}")
    result = json.loads(out)
    assert code == 0 and not result["rejected"]
    assert [r["unit"] for r in result["accepted"]] == [world.station.code, world.room.code]
    assert Activity.objects.get(name="义诊").unit == world.room
    assert OrganiserChoice.objects.get(text="某协会").unit == world.room


# --- in the browser pages ---------------------------------------------------------------


def test_a_district_clerk_corrects_the_mapping_on_the_preview_and_confirms(client, world):
    rows = [row("助老", "西脑包街道社会工作服务站"), row("义诊", "某协会"), row("讲座", "某协会")]
    login(client, world.district_admin)
    page = client.get("/activities/import/").content.decode()
    assert "这是汇总表" in page
    upload = SimpleUploadedFile("东河区汇总表.xlsx", xlsx([HEADER, *rows]))
    response = client.post("/activities/import/", {"file": upload, "route": "on"}, follow=True)
    imp = ActivityImport.objects.get()
    page = response.content.decode()
    assert imp.route and imp.status == ImportStatus.PREVIEW
    assert 'data-testid="mapping"' in page and "未找到" in page and "某协会" in page
    assert f'<option value="{world.room.code} {world.room.name}">' in page
    mapping = imp.summary["mapping"]
    index = next(i for i, m in enumerate(mapping) if m["text"] == "某协会")
    form = {f"unit_{i}": m["unit"] for i, m in enumerate(mapping)}
    form[f"unit_{index}"] = f"{world.room.code} {world.room.name}"

    # Changed choices are previewed first, never stored unseen.
    client.post(f"/activities/import/{imp.pk}/confirm/", {**form, "action": "confirm"})
    imp.refresh_from_db()
    assert imp.status == ImportStatus.PREVIEW and not Activity.objects.exists()
    assert imp.summary["n_accepted"] == 3 and not imp.summary["rejected"]
    response = client.post(
        f"/activities/import/{imp.pk}/confirm/",
        {**{f"unit_{i}": m["unit"] for i, m in enumerate(imp.summary["mapping"])}},
        follow=True,
    )
    assert "已导入：新增 3 条" in response.content.decode()
    assert Activity.objects.filter(unit=world.room).count() == 2
    assert OrganiserChoice.objects.get(text="某协会").unit == world.room


def test_a_code_outside_the_subtree_is_refused_on_the_preview(client, world):
    login(client, world.district_admin)
    upload = SimpleUploadedFile("汇总表.xlsx", xlsx([HEADER, row("义诊", "某协会")]))
    client.post("/activities/import/", {"file": upload, "route": "on"})
    imp = ActivityImport.objects.get()
    response = client.post(
        f"/activities/import/{imp.pk}/confirm/",
        {"unit_0": world.manzhouli.code, "action": "preview"},
        follow=True,
    )
    assert "不是本单位或下级单位" in response.content.decode()
    imp.refresh_from_db()
    assert imp.choices == {} and not Activity.objects.exists()


def test_a_station_without_units_below_has_no_consolidated_table_choice(client, world):
    client.force_login(world.neighbour_worker)
    assert "这是汇总表" not in client.get("/activities/import/").content.decode()


def test_a_neighbour_cannot_open_or_confirm_a_bureaus_import(client, world):
    login(client, world.district_admin)
    upload = SimpleUploadedFile(
        "汇总表.xlsx", xlsx([HEADER, row("助老", "西脑包街道社会工作服务站")])
    )
    client.post("/activities/import/", {"file": upload, "route": "on"})
    imp = ActivityImport.objects.get()
    client.force_login(world.neighbour_worker)
    assert client.get(f"/activities/import/{imp.pk}/").status_code == 404
    assert client.post(f"/activities/import/{imp.pk}/confirm/").status_code == 404
    assert not Activity.objects.exists()


def test_a_table_whose_organisers_are_all_unknown_stays_open_for_the_clerks_choice(client, world):
    login(client, world.district_admin)
    upload = SimpleUploadedFile("汇总表.xlsx", xlsx([HEADER, row("义诊", "某协会")]))
    client.post("/activities/import/", {"file": upload, "route": "on"})
    imp = ActivityImport.objects.get()
    assert imp.status == ImportStatus.PREVIEW and imp.summary["n_accepted"] == 0
    page = client.get(f"/activities/import/{imp.pk}/").content.decode()
    assert 'data-testid="mapping"' in page and "disabled" in page
    refused = client.post(
        f"/activities/import/{imp.pk}/confirm/", {"unit_0": "", "action": "confirm"}, follow=True
    )
    assert "还没有可以导入的行" in refused.content.decode()
    client.post(
        f"/activities/import/{imp.pk}/confirm/", {"unit_0": world.room.code, "action": "preview"}
    )
    imp.refresh_from_db()
    assert imp.summary["n_accepted"] == 1
    client.post(f"/activities/import/{imp.pk}/confirm/", {"unit_0": world.room.code})
    assert Activity.objects.get(name="义诊").unit == world.room


def test_the_rejected_rows_file_carries_a_routed_rows_cells_as_typed(client, world):
    login(client, world.district_admin)
    upload = SimpleUploadedFile("汇总表.xlsx", xlsx([HEADER, row("义诊", "某协会", "约20人")]))
    client.post("/activities/import/", {"file": upload, "route": "on"})
    imp = ActivityImport.objects.get()
    response = client.get(f"/activities/import/{imp.pk}/rejected/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["活动名称", "参与活动的单位或社会组织（团队）名称"]
    typed = [c.value for c in sheet[4]]
    assert typed[:3] == ["义诊", "某协会", "约20人"]
    assert "找不到" in typed[header.index("错误原因")] and typed[-1] == 2
