"""The corpus of tests/data/briefs/: recall on the planted faults and quiet on clean briefs."""

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
