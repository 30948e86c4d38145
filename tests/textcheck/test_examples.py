"""Every row of the rule tables and word lists in shegong/textcheck/data/: its bad example
fires its rule, its good example does not."""

import pytest

from shegong.textcheck import check, tables
from shegong.textcheck.findings import SEVERITIES
from shegong.textcheck.rules import registry

# The element examples are short on purpose (see elements.tsv); everything else ignores it.
THRESHOLDS = {"min_chars": 20, "max_chars": 200}

RULE_TABLES = ("elements", "punctuation", "numbers", "privacy", "script", "web", "grammar")
# table → (codes it fires, the column naming the row's word, if any)
WORD_TABLES = {
    "official_terms": (("O01",), "wrong"),
    "typos": (("T01",), "wrong"),
    "disrespect": (("T02",), "wrong"),
    "enumerations": (("O02", "O03"), "term"),
    "collocations": (("O04",), "term"),
    "spam": (("S01",), "term"),
    "particles": (("D01",), None),
    "particle_words": (("D01",), None),
    "names": (("O05", "T03", "O06"), None),
    "boilerplate": (("W01",), None),
}
ALL_TABLES = RULE_TABLES + tuple(WORD_TABLES)
# Checked as a headline with an empty body: the fault is a body run on into the title.
TITLE_CODES = frozenset({"A06"})


def _check(text, codes):
    if TITLE_CODES & set(codes):
        return check("", title=text, **THRESHOLDS)
    return check(text, **THRESHOLDS)


def _cases():
    for name in RULE_TABLES:
        for row in tables.read(name):
            yield pytest.param((row["code"],), row, None, id=f"{name}:{row['line']}")
    for name, (codes, column) in WORD_TABLES.items():
        for row in tables.read(name):
            word = row[column] if column else None
            yield pytest.param(codes, row, word, id=f"{name}:{row['line']}")


CASES = list(_cases())


@pytest.mark.parametrize(("codes", "row", "word"), CASES)
def test_bad_example_fires_and_good_example_does_not(codes, row, word):
    fired = [f for f in _check(row["bad"], codes) if f.code in codes]
    assert fired, f"{codes} did not fire on {row['bad']!r}"
    if word:
        # The row itself fired, not a neighbour of the same family.
        assert any(word in f.text or word in f.message for f in fired), fired
    quiet = [f for f in _check(row["good"], codes) if f.code in codes]
    assert quiet == [], f"{codes} fired on the good example {row['good']!r}"


@pytest.mark.parametrize("name", ALL_TABLES)
def test_every_row_states_its_basis_and_both_examples(name):
    for row in tables.read(name):
        assert row["basis"].strip(), f"{name}.tsv:{row['line']} has no basis"
        assert row["bad"].strip() and row["good"].strip(), f"{name}.tsv:{row['line']}"


def test_every_code_has_a_known_severity_and_an_example():
    codes = registry()
    assert all(rule.severity in SEVERITIES for rule in codes.values())
    covered = {row["code"] for name in RULE_TABLES for row in tables.read(name)}
    covered |= {code for table_codes, _ in WORD_TABLES.values() for code in table_codes}
    assert covered == set(codes)


def test_row_severity_overrides_are_valid():
    for name in ("official_terms", "typos", "disrespect"):
        for row in tables.read(name):
            assert row["severity"] in ("", *SEVERITIES), f"{name}.tsv:{row['line']}"
