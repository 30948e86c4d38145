"""The register's keyword index (activities/search.py) gives exactly the rows of a plain scan,
for queries of 1–6 characters, and stays right through every way activities are written."""

from datetime import date

import pytest
from django.db import connection
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
    rows = Activity.objects.all()
    return _ids(search.filter_keyword(rows, text)), _ids(rows.filter(search.plain_q(text)))


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


def _data_of(activity):
    from tests.factories import activity_data

    return activity_data(name=activity.name)
