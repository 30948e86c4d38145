"""The corpus of tests/data/briefs/: recall on the planted faults and quiet on clean briefs."""

import re
from collections import Counter

from shegong.textcheck import elements
from tests.textcheck.corpus import load, score

CORPUS = load()


def test_the_corpus_has_twenty_clean_and_forty_faulty_briefs_with_spans():
    clean = [entry for entry, _ in CORPUS if entry["clean"]]
    faulty = [entry for entry, _ in CORPUS if not entry["clean"]]
    assert len(clean) >= 20 and len(faulty) >= 40
    assert all(not entry["faults"] for entry in clean)
    assert all(entry["faults"] for entry in faulty)
    for entry, text in CORPUS:
        for fault in entry["faults"]:
            if fault["start"] is not None:
                assert text[fault["start"] : fault["end"]] == fault["text"], entry["file"]


def test_recall_on_the_planted_faults_is_at_least_95_percent():
    recall, missed, _ = score(CORPUS)
    caught = sum(hit for hit, _ in recall.values())
    total = sum(n for _, n in recall.values())
    assert caught / total >= 0.95, missed


def test_clean_briefs_have_no_error_level_finding():
    _, _, clean_errors = score(CORPUS)
    assert clean_errors == []


def _body(text):
    """The body as check_file() sees it: after the first line, or after a run-on headline."""
    title, _, body = text.partition("\n")
    if not body.strip():
        body = title[elements.run_on_title(title) :]
    return len(re.sub(r"\s+", "", body))


def test_every_brief_is_about_500_characters_as_its_manifest_says():
    for entry, text in CORPUS:
        assert 450 <= _body(text) <= 600, entry["file"]
        assert entry["chars"] == _body(text), entry["file"]


def test_every_category_has_at_least_three_planted_faults():
    counts = Counter(fault["category"] for entry, _ in CORPUS for fault in entry["faults"])
    assert min(counts.values()) >= 3, counts
