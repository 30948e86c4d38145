import pytest

from shegong.orgs import tree


def test_segments_are_fixed_width_and_sort_in_order():
    segs = [tree.segment(n) for n in (0, 1, 9, 10, 35, 36, 1295, 1296)]
    assert all(len(s) == tree.SEGMENT for s in segs)
    assert segs == sorted(segs)
    assert [tree.segment_number(s) for s in segs] == [0, 1, 9, 10, 35, 36, 1295, 1296]


def test_high_character_sorts_above_every_segment_character():
    assert all(ch < tree.HIGH for ch in tree.DIGITS)


def test_next_child_path_continues_after_the_last_child():
    assert tree.next_child_path("0000", None) == "00000000"
    assert tree.next_child_path("0000", "00000009") == "0000000A"
    assert tree.next_child_path("", "000Z") == "0010"


def test_ancestor_paths_are_every_prefix_root_first():
    assert tree.ancestor_paths("000100020003") == ["0001", "00010002"]
    assert tree.depth_of("000100020003") == 2


def test_path_column_is_byte_ordered_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite compares text bytewise (BINARY) by default")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'orgs_orgunit' AND column_name = 'path'"
        )
        assert cursor.fetchone()[0] == "C"
