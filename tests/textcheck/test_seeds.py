"""Regression over the seed documents: the clean official texts 000–003 give no errors, the
hijacked web page 004 gives many."""

from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from shegong.textcheck import ERROR, KINDS, check

SEEDS = Path(__file__).resolve().parent / "seeds"
CLEAN = sorted(SEEDS.glob("00[0-3]_*.txt"))
DAMAGED = next(SEEDS.glob("004_*.txt"))

# What the clean seeds legitimately show: half-width marks in the web copies (000, 001),
# page furniture (000), 约 500 字左右 and 下午17:00 (002), the length of a notice read as a
# brief (A01), and "content" in 002's attachment.
PINNED = {
    "000": {"P02", "W01", "A01"},
    "001": {"P02", "A01"},
    "002": {"P02", "N05", "N06", "L01", "A01"},
    "003": {"A01"},
}


def _read(path):
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name[:3])
def test_clean_seed_has_no_error(path, kind):
    errors = [f for f in check(_read(path), kind=kind) if f.severity == ERROR]
    assert errors == []


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.name[:3])
def test_clean_seed_shows_only_the_pinned_codes(path):
    codes = {f.code for f in check(_read(path))}
    assert codes <= PINNED[path.name[:3]]


def test_clean_seeds_keep_their_political_wording():
    # 两个确立、四个意识、五社联动、中央八项规定 … exactly as the seeds write them.
    for path in CLEAN:
        wording = [f for f in check(_read(path)) if f.code[0] in "OTD"]
        assert wording == [], path.name


def test_damaged_page_gives_errors_of_every_kind_of_damage():
    found = check(_read(DAMAGED))
    errors = Counter(f.code for f in found if f.severity == ERROR)
    assert errors["S01"] == 1  # the injected header line
    assert errors["E01"] >= 90  # 發(fā) 協(xié) 區(qū) …
    assert errors["C01"] >= 300  # runs of traditional characters
    assert errors["P01"] >= 100  # ,， ,、 ,。
    assert {"W01", "P02", "N10"} <= {f.code for f in found}
    assert sum(errors.values()) > 500


def test_damaged_page_reports_the_spam_header_once_as_a_whole_line():
    text = _read(DAMAGED)
    first_line_end = text.index("\n")
    inside = [f for f in check(text) if f.start < first_line_end]
    assert [(f.code, f.start, f.end) for f in inside] == [("S01", 0, first_line_end)]
    assert inside[0].suggestion == ""


def test_damaged_page_pinyin_debris_is_replaced_by_the_simplified_character():
    text = _read(DAMAGED)
    debris = [f for f in check(text) if f.code == "E01"]
    first = debris[0]
    assert first.text == "發(fā)" and first.suggestion == "发"
    assert text[first.start : first.end] == first.text


def test_damaged_page_findings_do_not_overlap():
    # Each spot is reported once, so the suggestions can be applied one after another.
    found = [f for f in check(_read(DAMAGED)) if f.end > f.start]
    assert all(a.end <= b.start for a, b in pairwise(found))
