"""The register's keyword index (activities/search.py) gives exactly the rows of a plain scan,
for queries of 1–6 characters, and stays right through every way activities are written."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.activities import bulk, search, services
from shegong.activities.models import Activity
from tests.factories import make_activity, make_unit, rolled_back

pytestmark = pytest.mark.django_db

# Few characters, so random queries often hit: Chinese, ASCII in both cases, LIKE's own
# wildcards and escape, a quote (FTS5 syntax), a space, accented letters (not folded by LIKE).
ALPHABET = '社区某老人服务中心aAbB1%_\\" Éé'
TEXT = st.text(ALPHABET, max_size=12)
QUERY = st.text(ALPHABET, min_size=1, max_size=6)
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _store(unit, texts):
    """Activities with the given (name, place) pairs, written as the register's bulk path
    writes them (executemany / COPY), so the index sees raw inserts."""
    day, now = date(2030, 3, 20), bulk.moment(timezone.now())
    fixed = {
        "unit_id": unit.pk,
        "org_path": unit.path,
        "date_start": day,
        "date_end": day,
        "mode": "offline",
        "created_at": now,
        "updated_at": now,
        **dict.fromkeys(["org_text", "content", "other_domains", "remarks", "locked_reason"], ""),
        **dict.fromkeys(["filler_name", "filler_mobile"], ""),
        **dict.fromkeys(["domain_mask", "linkage"], 0),
        "version": 1,
    }
    columns = [*fixed, "name", "place"]
    return bulk.insert(Activity, columns, [(*fixed.values(), n, p) for n, p in texts])


def _ids(rows):
    return sorted(rows.values_list("id", flat=True))


def _both(text):
    """The indexed search's rows (each way of reading them must agree) and the plain scan's."""
    rows = Activity.objects.all()
    indexed = _ids(search.filter_keyword(rows, text))
    # Read by id whatever the number of candidates (a large scope), and as a walk tests it.
    driven = _ids(search.filter_keyword(rows, text, scope_size=lambda: 10**9))
    walked = _ids(search.filter_keyword(rows, text, walk=True))
    assert indexed == driven == walked, text
    return indexed, _ids(rows.filter(search.plain_q(text)))


@EXAMPLES
@given(texts=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=30), queries=st.lists(QUERY))
def test_keyword_search_gives_the_rows_of_a_plain_scan(world, texts, queries):
    with rolled_back():
        _store(world.station, texts)
        # Queries drawn from the stored text as well as at random.
        picked = [name[i : i + n] for name, _ in texts for i in (0, 2) for n in (1, 2, 3, 5)]
        for text in [q for q in queries + picked if q]:
            indexed, plain = _both(text)
            assert indexed == plain, text


@pytest.mark.parametrize(
    "text", ["某", "社区", "服务中心", "ab", "AB", "a%", "_", '"', "É", "é", "社区 ab"]
)
def test_short_and_long_queries_agree_with_the_scan_on_fixed_rows(world, text):
    _store(
        world.station,
        [
            ("某某社区助老服务", "党群服务中心"),
            ("AB社区", ""),
            ("ab", "a%b"),
            ("É", "_"),
            ('"引号"社区 ab', "é"),
            ("社区", "社区"),
        ],
    )
    indexed, plain = _both(text)
    assert indexed == plain
    assert plain or text in ("a%",)  # every fixed query but one finds something


def test_the_index_follows_service_edits_moves_and_deletes(world):
    kept = make_activity(world.station, by=world.station_worker, name="西脑包助老服务")
    assert _ids(search.filter_keyword(Activity.objects.all(), "助老服")) == [kept.pk]
    services.update_activity(
        activity=kept,
        data={**_data_of(kept), "name": "西脑包儿童关爱"},
        by=world.station_worker,
        version=kept.version,
    )
    assert _ids(search.filter_keyword(Activity.objects.all(), "助老服")) == []
    assert _ids(search.filter_keyword(Activity.objects.all(), "儿童关")) == [kept.pk]
    assert _ids(search.filter_keyword(Activity.objects.all(), "儿童")) == [kept.pk]
    Activity.objects.filter(pk=kept.pk).delete()
    assert _ids(search.filter_keyword(Activity.objects.all(), "儿童关")) == []
    assert _ids(search.filter_keyword(Activity.objects.all(), "儿童")) == []


def test_the_register_page_searches_through_the_index_within_scope(client, world):
    from tests.conftest import login

    mine = make_activity(world.station, by=world.station_worker, name="宏源助老服务进社区")
    other = make_unit(world.township2, "和平路社区社会工作室")
    _store(world.neighbour, [("和平路助老服务进社区", "")])
    _store(other, [("邻居助老服务", "")])
    login(client, world.station_worker)
    for text in ("助老服务", "助老"):
        page = client.get("/activities/", {"q": text, "scope": "subtree"})
        assert page.status_code == 200
        shown = [a.pk for a in page.context["activities"]]
        assert shown == [mine.pk], text


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_narrows_by_the_fts5_table():
    sql, _ = search._sqlite_candidates("助老服务").as_sql(None, connection)
    assert "MATCH" in sql
    sql, _ = search._sqlite_candidates("助老").as_sql(None, connection)
    assert search.VOCAB_TABLE in sql
    assert search._sqlite_candidates("É") is None  # folded differently by LIKE and FTS5


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_has_trigram_indexes_on_name_and_place():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'activities_activity' "
            "AND indexdef LIKE '%%gin_trgm_ops%%' ORDER BY 1"
        )
        assert [r[0] for r in cursor.fetchall()] == ["activity_name_trgm", "activity_place_trgm"]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("text", ["某", "社区", "ab", "AB", "%", "a%", "_", "\\", "é", "É", " a"])
def test_postgresql_grams_index_gives_the_rows_of_a_plain_scan(world, text):
    _store(
        world.station,
        [
            ("某某社区助老服务", "党群服务中心"),
            ("AB社区", ""),
            ("ab", "a%b"),
            ("É", "_"),
            ('"引号"社区 ab', "é"),
            ("x\\y", "区"),
            ("", ""),
        ],
    )
    rows = Activity.objects.all()
    with connection.cursor() as cursor:
        # A few rows: make the planner use the index rather than read the table (in date
        # order or not), so that the index's answer is the one compared.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        found = search.filter_keyword(rows, text).order_by()
        sql, params = found.values_list("id").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        assert "activity_text_grams" in "\n".join(r[0] for r in cursor.fetchall())
        assert _ids(found) == _ids(rows.filter(search.plain_q(text))), text


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_has_the_short_query_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'activity_text_grams'")
        assert search.GRAMS_FUNCTION in cursor.fetchone()[0]
        cursor.execute("SELECT activity_grams('某某社区', 'ab')")
        assert set(cursor.fetchone()[0]) == {
            "某",
            "社",
            "区",
            "某某",
            "某社",
            "社区",
            "a",
            "b",
            "ab",
        }


@pytest.mark.parametrize("query", ["q=助老", "q=助老服务", "q=某", "q=助老&date_from=2030-03-03"])
def test_keyword_pages_walked_and_sorted_list_the_rows_of_the_plain_scan(world, client, query):
    from shegong.activities import selectors, views

    for i, unit in enumerate([world.station, world.room, world.neighbour, world.manzhouli] * 40):
        day = date(2030, 3, 1 + i % 7)  # shared days: the id breaks ties
        name = ["助老服务", "儿童关爱", "某某社区助老", "助残"][i % 4]
        make_activity(
            unit, name=name, place="某广场" if i % 5 == 0 else "", date_start=day, date_end=day
        )
    client.force_login(world.district_reviewer)
    pages = {}
    for walk_rows, walked in [(10**9, True), (0, False)]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(views, "WALK_ROWS", walk_rows)
            for number in (1, 2, 3):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(f"/activities/?{query}&page={number}")
                page = response.context["page"]
                # _newest_first's walk reads org_path || '' (views._newest_first).
                assert any("||" in q["sql"] for q in queries.captured_queries) == walked
                pages[walked, number] = [a.pk for a in response.context["activities"]]
    unit, totals = response.context["unit"], response.context["totals"]
    text = query.split("&")[0][2:]
    expected = (
        selectors.activities_visible_to(world.district_reviewer)
        .filter(unit.subtree_q("org_path"))
        .filter(search.plain_q(text))
    )
    if "date_from" in query:
        expected = expected.filter(date_start__gte=date(2030, 3, 3))
    expected = list(expected.order_by("-date_start", "-id").values_list("id", flat=True))
    assert page.paginator.count == totals["n"] == len(expected) > views.PAGE_SIZE
    for number in (1, 2, 3):
        shown = expected[(number - 1) * views.PAGE_SIZE : number * views.PAGE_SIZE]
        if shown or number == 1:
            assert pages[True, number] == pages[False, number] == shown, (query, number)


def _data_of(activity):
    from tests.factories import activity_data

    return activity_data(name=activity.name)
