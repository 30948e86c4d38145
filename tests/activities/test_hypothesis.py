"""Property-based tests of the activity rules: random valid activities round-trip through the
services, random invalid ones give Chinese errors on their own fields and store nothing, and
random junk posted to the form never gives a 500."""

import os
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from shegong.activities import services
from shegong.activities.models import (
    Activity,
    ActivityType,
    ActivityVersion,
    Linkage,
    Mode,
    ServiceDomain,
)
from shegong.activities.reference import DOMAINS, TYPES
from shegong.activities.validation import (
    MAX_COUNT,
    MAX_MONEY,
    TEXT_LIMITS,
    check_activity,
    domain_names,
)
from shegong.audit.models import AuditEvent
from tests.factories import activity_data, rolled_back

pytestmark = pytest.mark.django_db

DOMAIN_NAMES = [name for name, _ in DOMAINS]
TYPE_CODES = [code for code, _ in TYPES]
TYPE_NAMES = {name: code for code, name in TYPES}
LINKAGE = dict(Linkage.choices)  # value -> label
LABEL_VALUE = {label: value for value, label in Linkage.choices}
CENT = Decimal("0.01")
CJK = re.compile(r"[\u4e00-\u9fff]")
MISSING = object()  # a key left out of the data altogether
SCALE = int(os.environ.get("HYPOTHESIS_SCALE", "1"))  # e.g. 20 for a long bug hunt


def examples(n):
    return settings(
        max_examples=n * SCALE,
        deadline=None,
        database=None,  # no .hypothesis/ folder in the project
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- valid activities -------------------------------------------------------------------

# Printable characters (no controls, no surrogates), with Chinese drawn often.
CHARS = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(categories=("L", "M", "N", "P", "S", "Zs")),
)
SPACE = st.sampled_from(["", " ", "  ", "\u3000", "\t", "\n", " \u3000 "])


def text(max_size, min_size=0, chars=CHARS):
    return st.text(chars, min_size=min_size, max_size=max_size)


def padded(core):
    """Leading and trailing blanks, which the rules strip."""
    return st.builds(lambda a, s, b: a + s + b, SPACE, core, SPACE)


def limited(name):
    return padded(text(TEXT_LIMITS[name]))


names = padded(text(200, min_size=1).filter(str.strip))
counts = st.one_of(st.none(), st.integers(0, MAX_COUNT))
money = st.one_of(
    st.none(),
    st.builds(
        lambda d, normal: d.normalize() if normal else d,  # 1.2E+3 is 1200.00 as well
        st.decimals(min_value=0, max_value=MAX_MONEY, places=2),
        st.booleans(),
    ),
)


@st.composite
def periods(draw):
    a, b = draw(st.dates()), draw(st.dates())
    start, end = min(a, b), max(a, b)
    return start, draw(st.one_of(st.just(end), st.none()))  # None = the same day


linkage_items = st.one_of(
    st.sampled_from(list(LABEL_VALUE)),
    st.sampled_from(list(LINKAGE)),
    padded(st.sampled_from(list(LABEL_VALUE))),
)
activity_types = st.one_of(
    st.none(), st.just(""), st.sampled_from(TYPE_CODES), padded(st.sampled_from(list(TYPE_NAMES)))
)


@st.composite
def valid_activities(draw):
    start, end = draw(periods())
    return {
        "name": draw(names),
        "org_text": draw(limited("org_text")),
        "participants": draw(counts),
        "date_start": start,
        "date_end": end,
        "place": draw(limited("place")),
        "content": draw(padded(text(400, chars=st.one_of(CHARS, st.just("\n"))))),
        "domains": draw(
            st.lists(
                st.one_of(st.sampled_from(DOMAIN_NAMES), padded(st.sampled_from(DOMAIN_NAMES))),
                max_size=8,
            )
        ),
        "other_domains": draw(limited("other_domains")),
        "beneficiaries": draw(counts),
        "funds": draw(money),
        "inkind": draw(money),
        "remarks": draw(padded(text(200))),
        "activity_type": draw(activity_types),
        "mode": draw(st.sampled_from([*Mode.values, None, ""])),
        "linkage": draw(st.lists(linkage_items, max_size=7)),
        "filler_name": draw(limited("filler_name")),
        "filler_mobile": draw(limited("filler_mobile")),
    }


def _cents(value):
    return None if value is None else str(Decimal(str(value)).quantize(CENT))


def _type_code(value):
    if not value:
        return None
    return value if value in TYPE_CODES else TYPE_NAMES[value.strip()]


def expected(data):
    """What the register should hold for valid `data`."""
    domains = {str(d).strip() for d in data["domains"]}
    labels = {LINKAGE.get(x) or str(x).strip() for x in data["linkage"]}
    texts = ["name", "org_text", "place", "content", "other_domains", "remarks"]
    return {
        **{key: data[key].strip() for key in [*texts, "filler_name", "filler_mobile"]},
        "participants": data["participants"],
        "beneficiaries": data["beneficiaries"],
        "funds": _cents(data["funds"]),
        "inkind": _cents(data["inkind"]),
        "date_start": data["date_start"],
        "date_end": data["date_end"] or data["date_start"],
        "domains": [name for name in DOMAIN_NAMES if name in domains],
        "linkage": [label for label in LABEL_VALUE if label in labels],
        "activity_type": _type_code(data["activity_type"]),
        "mode": data["mode"] or Mode.OFFLINE,
    }


def stored(pk):
    """The same view of the row as it is in the database."""
    a = Activity.objects.select_related("activity_type").get(pk=pk)
    texts = ["name", "org_text", "place", "content", "other_domains", "remarks"]
    return {
        **{key: getattr(a, key) for key in [*texts, "filler_name", "filler_mobile"]},
        "participants": a.participants,
        "beneficiaries": a.beneficiaries,
        "funds": None if a.funds is None else str(a.funds),
        "inkind": None if a.inkind is None else str(a.inkind),
        "date_start": a.date_start,
        "date_end": a.date_end,
        "domains": domain_names(a.domain_mask),
        "linkage": a.linkage_labels(),
        "activity_type": a.activity_type.code if a.activity_type else None,
        "mode": a.mode,
    }


@st.composite
def rewritten(draw, data):
    """The same activity written differently: the register must see no change."""
    same = dict(data)
    for key in ["name", "org_text", "place", "content", "other_domains", "remarks"]:
        same[key] = draw(SPACE) + data[key].strip() + draw(SPACE)
    same["domains"] = draw(st.permutations([*data["domains"], *data["domains"]]))
    same["linkage"] = [
        draw(
            st.sampled_from([LINKAGE.get(x) or str(x).strip(), LABEL_VALUE.get(str(x).strip(), x)])
        )
        for x in draw(st.permutations(data["linkage"]))
    ]
    for key in ["funds", "inkind"]:
        if data[key] is not None:
            amount = Decimal(str(data[key]))
            same[key] = draw(st.sampled_from([amount.normalize(), amount.quantize(CENT)]))
    code = _type_code(data["activity_type"])
    if code:
        name = next(n for n, c in TYPE_NAMES.items() if c == code)
        same["activity_type"] = draw(st.sampled_from([code, name, f" {name} "]))
    same["mode"] = data["mode"] or draw(st.sampled_from([None, "", Mode.OFFLINE]))
    same["date_end"] = data["date_end"] or data["date_start"]
    return same


def _record(world, data):
    return services.record_activity(unit=world.station, data=data, by=world.station_worker)


def test_the_generated_lists_match_the_active_domains_and_types_in_the_database(db):
    active = ServiceDomain.objects.filter(is_active=True).values_list("name", flat=True)
    assert list(active) == DOMAIN_NAMES
    assert sorted(ActivityType.objects.values_list("code", flat=True)) == sorted(TYPE_CODES)


@examples(40)
@given(data=valid_activities())
def test_random_valid_activities_round_trip(world, data):
    with rolled_back():
        checked = check_activity(data)
        assert checked.ok, checked.errors
        activity = _record(world, data)
        assert activity.version == 1
        assert stored(activity.pk) == expected(data)
        assert ActivityVersion.objects.filter(activity=activity).count() == 1


@examples(25)
@given(first=valid_activities(), second=valid_activities())
def test_updating_with_random_valid_data_stores_it_and_adds_one_version_only_if_changed(
    world, first, second
):
    with rolled_back():
        activity = _record(world, first)
        changed = expected(first) != expected(second)
        services.update_activity(activity=activity, data=second, by=world.station_worker)
        assert stored(activity.pk) == expected(second)
        row = Activity.objects.get(pk=activity.pk)
        assert row.version == 1 + changed
        assert ActivityVersion.objects.filter(activity=activity).count() == row.version

        services.update_activity(activity=row, data=second, by=world.station_worker)
        assert Activity.objects.get(pk=activity.pk).version == row.version


@examples(20)
@given(data=st.data(), first=valid_activities())
def test_the_same_activity_written_differently_is_no_change(world, data, first):
    same = data.draw(rewritten(first))
    assert expected(same) == expected(first)
    with rolled_back():
        activity = _record(world, first)
        updated = services.update_activity(activity=activity, data=same, by=world.station_worker)
        assert updated.version == 1
        assert Activity.objects.get(pk=activity.pk).version == 1
        assert stored(activity.pk) == expected(first)
        assert ActivityVersion.objects.filter(activity=activity).count() == 1


# --- invalid activities -----------------------------------------------------------------

# Text with no NUL (PostgreSQL cannot store it; see the separate test below) and no surrogates.
ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"))


def _is_decimal(value):
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return True


bad_counts = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=MAX_COUNT + 1),
    st.floats(),  # 45.0 as well: a count is an int
    st.booleans(),
    st.decimals(allow_nan=True),
    ANY_TEXT.filter(bool),  # "45" as well: the form and importer pass ints
)
bad_money = st.one_of(
    st.integers(3, 12)
    .flatmap(lambda places: st.decimals(min_value=0, max_value=MAX_MONEY, places=places))
    .filter(lambda d: d != d.quantize(CENT)),
    st.decimals(max_value=Decimal("-0.001"), allow_nan=False, allow_infinity=False),
    st.integers(max_value=-1),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
            float("nan"),
            float("inf"),
            float("-inf"),
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "inf",
            "1e309",
            "1E+13",
            "-0.001",
            "0.001",
            "1,200",
            "1200元",
            "一千二百",
            "１２００.５０１",
            1e300,
            10**40,
            True,
            False,
            [1200],
        ]
    ),
    ANY_TEXT.filter(lambda s: s != "" and not _is_decimal(s)),
    st.decimals(min_value=MAX_MONEY + CENT, allow_nan=False, allow_infinity=False),
    st.integers(min_value=10**12),
)
blank_names = st.one_of(
    st.just(MISSING), st.none(), st.text(st.sampled_from(" \t\n\r\u3000\u00a0\u2003"))
)
long_names = padded(
    text(260, min_size=201, chars=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF))
)


def too_long(field):
    limit = TEXT_LIMITS[field]
    return padded(text(limit + 40, min_size=limit + 1, chars=st.characters(categories=("L", "N"))))


@st.composite
def bad_dates(draw):
    """(field, patch): the end before the start, or no start at all."""
    if draw(st.booleans()):
        start = draw(st.dates(min_value=date(1, 1, 2)))
        end = start - timedelta(days=draw(st.integers(1, (start - date.min).days)))
        return "date_end", {"date_start": start, "date_end": end}
    start = draw(st.sampled_from([MISSING, None, ""]))
    return "date_start", {"date_start": start, "date_end": draw(st.one_of(st.none(), st.dates()))}


bad_linkage_items = st.one_of(
    ANY_TEXT.filter(lambda s: s.strip() not in LABEL_VALUE),
    st.integers().filter(lambda i: i not in LINKAGE),
    st.floats(),
    st.sampled_from(["居委会", "社工", "1", "社区、社会组织", "社区 社会组织", 3, 31, 0]),
)
bad_types = st.one_of(
    ANY_TEXT.filter(lambda s: s and s not in TYPE_CODES and s.strip() not in TYPE_NAMES),
    st.sampled_from(["茶话会", "COMMUNITY", " community", "社区", 0, 99, -1]),
)
bad_modes = st.one_of(
    ANY_TEXT.filter(lambda s: s and s not in Mode.values),
    st.sampled_from(["线下", "OFFLINE", "offline ", 1, True]),
)


def _field(name, values):
    return values.map(lambda v: (name, {name: v}))


CORRUPTIONS = {
    "participants": _field("participants", bad_counts),
    "beneficiaries": _field("beneficiaries", bad_counts),
    "funds": _field("funds", bad_money),
    "inkind": _field("inkind", bad_money),
    "name": _field("name", st.one_of(blank_names, long_names)),
    "dates": bad_dates(),
    "linkage": st.builds(
        lambda good, bad, order: ("linkage", {"linkage": order([*good, *bad])}),
        st.lists(st.sampled_from(list(LABEL_VALUE)), max_size=3),
        st.lists(bad_linkage_items, min_size=1, max_size=3),
        st.sampled_from([list, lambda x: list(reversed(x))]),
    ),
    "activity_type": _field("activity_type", bad_types),
    "mode": _field("mode", bad_modes),
    **{f: _field(f, too_long(f)) for f in ["org_text", "place", "filler_name", "filler_mobile"]},
    "other_domains": _field("other_domains", too_long("other_domains")),
}


@st.composite
def invalid_activities(draw):
    """A valid activity with one to four of its fields spoilt; returns (data, spoilt fields)."""
    data = draw(valid_activities())
    fields = set()
    for kind in draw(
        st.lists(st.sampled_from(sorted(CORRUPTIONS)), min_size=1, max_size=4, unique=True)
    ):
        field, patch = draw(CORRUPTIONS[kind])
        for key, value in patch.items():
            if value is MISSING:
                data.pop(key, None)
            else:
                data[key] = value
        fields.add(field)
    return data, fields


def _counts():
    return (
        Activity.objects.count(),
        ActivityVersion.objects.count(),
        AuditEvent.objects.filter(action="activities.recorded").count(),
    )


@examples(60)
@given(case=invalid_activities())
def test_random_invalid_activities_get_chinese_errors_on_their_fields_and_store_nothing(
    world, case
):
    data, fields = case
    checked = check_activity(data)
    assert set(checked.errors) == fields, (checked.errors, data)
    for messages in checked.errors.values():
        assert messages and all(CJK.search(m) for m in messages), messages

    with rolled_back():
        before = _counts()
        with pytest.raises(ValidationError) as e:
            _record(world, data)
        assert set(e.value.message_dict) == fields
        assert _counts() == before


JSONISH = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        ANY_TEXT,
        st.decimals(allow_nan=True),
    ),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=8,
)


@examples(40)
@given(
    base=valid_activities(), keys=st.sets(st.sampled_from(sorted(services.STORED))), data=st.data()
)
def test_any_json_like_value_in_any_field_is_stored_or_refused_but_never_crashes(
    world, base, keys, data
):
    """What an API client may send: any JSON-ish value in a scalar field (a string for a
    number, a list for a name...), any list in the list fields. Dates stay dates (the caller
    parses them) and the list fields stay lists (a single value is tested at the end)."""
    raw = dict(base)
    for key in keys - {"date_start", "date_end", "domain_mask", "linkage"}:
        raw[key] = data.draw(JSONISH, label=key)
    for key in ["domains", "linkage"]:
        if data.draw(st.booleans(), label=f"spoil {key}"):
            raw[key] = data.draw(st.lists(JSONISH, max_size=4), label=key)
    checked = check_activity(raw)
    with rolled_back():
        before = _counts()
        try:
            activity = _record(world, raw)
        except ValidationError as e:
            assert checked.errors and set(e.message_dict) == set(checked.errors)
            assert _counts() == before
        else:
            assert checked.ok
            assert Activity.objects.filter(pk=activity.pk).exists()


# --- the HTTP form ----------------------------------------------------------------------

HTTP_CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
SPECIAL = [
    "",
    " ",
    "\u3000",
    "0",
    "-0",
    "-1",
    "+5",
    "1e309",
    "-1e309",
    "1e-309",
    "45人次",
    "约45",
    "４５",
    "１２００．５０",
    "1,200.50",
    "1 200",
    "1_000",
    "1200.005",
    "0x10",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "∞",
    "9" * 5000,
    "1" + "0" * 4299,
    "99999999999999999999",
    "9223372036854775808",
    "2030-03-20",
    "2030-02-30",
    "2030-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2030/03/20",
    "03/20/2030",
    "2030年3月20日",
    "20300320",
    "老年人",
    "其他",
    "社区",
    "1",
    "16",
    "31",
    "32",
    "community",
    "offline",
    "online",
    "both",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }}",
    "%s%s%n",
    "名" * 201,
    "名" * 5000,
]
JUNK = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(HTTP_CHARS, max_size=300),
    st.builds(
        lambda s, n: s * n, st.text(HTTP_CHARS, min_size=1, max_size=3), st.integers(1, 20000)
    ),
    st.integers().map(str),
    st.integers(-(10**7), 10**13).map(lambda n: str(n).translate(FULL_WIDTH)),
    st.floats().map(str),
    st.decimals(allow_nan=True).map(str),
    st.builds(
        "{}{}".format,
        st.integers(-(10**6), 10**6),
        st.sampled_from(["人次", "人", "元", "万元", " ", "%", "次"]),
    ),
    st.dates().map(str),
    st.dates().map(lambda d: d.strftime("%Y/%m/%d")),
)
VALID_POST = {
    "notice": "",
    "name": "“五社联动”助老服务进社区",
    "date_start": "2030-03-20",
    "date_end": "2030-03-21",
    "mode": "offline",
    "place": "宏源社区党群服务中心",
    "participants": "45",
    "beneficiaries": "120",
    "funds": "1200.50",
    "inkind": "",
    "domains": ["老年人", "妇女"],
    "linkage": ["1", "4"],
    "activity_type": "",
    "filler_name": "李娜",
    "filler_mobile": "13800001111",
}
FORM_FIELDS = [
    "notice",
    "name",
    "activity_type",
    "date_start",
    "date_end",
    "place",
    "mode",
    "org_text",
    "content",
    "domains",
    "other_domains",
    "participants",
    "beneficiaries",
    "funds",
    "inkind",
    "linkage",
    "remarks",
    "filler_name",
    "filler_mobile",
    "photos",
]


@st.composite
def form_posts(draw):
    """A valid form with some fields replaced by junk (a list for the multi-choice ones and,
    now and then, for the others too), some left out."""
    post = dict(VALID_POST)
    for field in draw(st.lists(st.sampled_from(FORM_FIELDS), unique=True)):
        if field in ("domains", "linkage") or draw(st.integers(0, 9)) == 0:
            post[field] = draw(st.lists(JUNK, max_size=4))
        else:
            post[field] = draw(JUNK)
    for field in draw(st.lists(st.sampled_from(FORM_FIELDS), unique=True, max_size=3)):
        post.pop(field, None)
    return post


@pytest.fixture
def worker(client, world):
    client.force_login(world.station_worker)
    return client


@examples(25)
@given(post=form_posts())
def test_random_junk_posted_to_the_new_activity_form_never_gives_a_500(worker, post):
    with rolled_back():
        before = Activity.objects.count()
        response = worker.post("/activities/new/", post)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert Activity.objects.count() == before
        else:
            activity = Activity.objects.latest("id")
            assert Activity.objects.count() == before + 1
            assert response["Location"] == f"/activities/{activity.pk}/"


@examples(25)
@given(post=form_posts())
def test_random_junk_posted_to_the_live_check_never_gives_a_500(worker, post):
    with rolled_back():
        response = worker.post("/activities/check/", post)
        assert response.status_code == 200
        assert not Activity.objects.exists()


def test_the_valid_post_used_as_a_base_is_saved(worker):
    response = worker.post("/activities/new/", VALID_POST)
    assert response.status_code == 302
    assert Activity.objects.get().funds == Decimal("1200.50")


# --- values a spreadsheet or an API client may send --------------------------------------

NUL = "助老\x00服务"
NUL_FIELDS = [
    "name",
    "org_text",
    "place",
    "content",
    "remarks",
    "other_domains",
    "filler_name",
    "filler_mobile",
]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *[pytest.param(f, NUL, id=f) for f in NUL_FIELDS],
        pytest.param("domains", [NUL], id="domains"),
    ],
)
def test_a_nul_character_in_a_text_field_is_refused_or_dropped_never_stored(world, field, value):
    data = {**activity_data(), field: value}
    checked = check_activity(data)
    with rolled_back():
        try:
            activity = _record(world, data)
        except ValidationError as e:
            assert e.message_dict == checked.errors
            assert all(CJK.search(m) for ms in checked.errors.values() for m in ms)
        else:
            row = Activity.objects.filter(pk=activity.pk).values().get()
            assert not [k for k, v in row.items() if isinstance(v, str) and "\x00" in v]


def test_a_nul_character_in_the_activity_type_is_an_unknown_type(world):
    checked = check_activity({**activity_data(), "activity_type": NUL})
    assert list(checked.errors) == ["activity_type"]


@pytest.mark.parametrize(("field", "value"), [("linkage", 1), ("linkage", 13), ("domains", 1)])
def test_a_single_number_where_a_list_is_expected_is_an_error_on_that_field(world, field, value):
    data = {**activity_data(), field: value}
    assert list(check_activity(data).errors) == [field]
    with rolled_back(), pytest.raises(ValidationError) as e:
        _record(world, data)
    assert list(e.value.message_dict) == [field]


def test_a_single_name_where_a_list_is_expected_is_a_list_of_one(world):
    checked = check_activity({**activity_data(), "domains": "老年人", "linkage": "社区"})
    assert checked.ok
    assert checked.data["linkage"] == Linkage.COMMUNITY
