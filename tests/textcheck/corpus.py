"""The corpus of tests/data/briefs/ (manifest.json): briefs written for the purpose, 20 clean
and 46 with planted faults, each of 450–600 non-space body characters (seed 002: 约500字),
and how the proofreader scores on it. Shared by the corpus test
and bench/textcheck_bench.py."""

import json
from collections import Counter
from pathlib import Path

from shegong.textcheck import ERROR, check

BRIEFS = Path(__file__).resolve().parent.parent / "data" / "briefs"


def load():
    """[(entry, text)] for every brief of the manifest."""
    manifest = json.loads((BRIEFS / "manifest.json").read_text(encoding="utf-8"))
    return [
        (entry, (BRIEFS / entry["file"]).read_text(encoding="utf-8"))
        for entry in manifest["briefs"]
    ]


def check_file(text):
    """A brief file as the editor sends it: the first line is the title, the rest the body."""
    title, _, body = text.partition("\n")
    return check(body, title=title)


def caught(fault, findings):
    """A fault is caught by a finding of one of its codes over its span (or anywhere, for a
    document-level fault)."""
    for f in findings:
        if f.code not in fault["codes"]:
            continue
        if fault["start"] is None:
            return True
        if f.start < fault["end"] and fault["start"] < max(f.end, f.start + 1):
            return True
    return False


def score(corpus):
    """(recall per category {category: (caught, total)}, missed faults, error-level findings
    on the clean briefs)."""
    totals, hits, missed, clean_errors = Counter(), Counter(), [], []
    for entry, text in corpus:
        findings = check_file(text)
        if entry["clean"]:
            clean_errors += [(entry["file"], f) for f in findings if f.severity == ERROR]
        for fault in entry["faults"]:
            totals[fault["category"]] += 1
            if caught(fault, findings):
                hits[fault["category"]] += 1
            else:
                missed.append((entry["file"], fault))
    recall = {category: (hits[category], totals[category]) for category in sorted(totals)}
    return recall, missed, clean_errors
