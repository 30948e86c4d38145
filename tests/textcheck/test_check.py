"""The public API of shegong.textcheck: check(), stats(), Finding, kinds and thresholds."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from shegong.textcheck import BRIEF, ERROR, NOTICE, WARNING, Finding, check, stats, wordlists

CLEAN_BRIEF = (Path(__file__).resolve().parent / "brief_clean.txt").read_text(encoding="utf-8")


def _codes(findings):
    return [f.code for f in findings]


def test_a_clean_brief_with_quotes_titles_dates_and_money_has_no_finding():
    title, body = CLEAN_BRIEF.split("\n", 1)
    assert check(body, title=title) == []
    assert check(CLEAN_BRIEF) == []


def test_finding_is_frozen_and_serialises_in_the_json_field_order():
    [finding] = check("欢迎各社工站投搞。", kind=NOTICE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.code = "X"
    assert list(finding.as_dict()) == [
        "code",
        "severity",
        "start",
        "end",
        "text",
        "message",
        "suggestion",
    ]
    assert finding.as_dict()["suggestion"] == "投稿"


def test_offsets_count_code_points_not_bytes_or_utf16_units():
    text = "𠀀𠀁社区工作人员己经到位。"  # two characters outside the BMP first
    [typo] = [f for f in check(text) if f.code == "T01"]
    assert (typo.start, typo.end) == (8, 10)
    assert text[typo.start : typo.end] == "己经" == typo.text


def test_with_a_title_offsets_index_title_newline_body():
    title, body = "社区活动己经结束", "3月21日，社工在社区为老人服务。"
    [typo] = [f for f in check(body, title=title) if f.code == "T01"]
    assert (title + "\n" + body)[typo.start : typo.end] == "己经"
    assert typo.start < len(title)
    [length] = [f for f in check(body, title=title) if f.code == "A01"]
    assert length.start == length.end == len(title) + 1  # document-level: empty span at the body


def test_elements_may_be_stated_in_the_title():
    body = "东城街道社工站在金佛山社区为20名老年人开展健康讲座，5名社工参与服务。"
    assert "A02" in _codes(check(body))
    assert "A02" not in _codes(check(body, title="3月21日东城街道社工站开展健康讲座"))


def test_length_thresholds_are_arguments_with_package_defaults():
    assert "A01" not in _codes(check(CLEAN_BRIEF))
    assert "A01" in _codes(check(CLEAN_BRIEF, min_chars=600))
    assert "A01" in _codes(check(CLEAN_BRIEF, max_chars=400))


def test_a_notice_skips_brief_requirements_and_allows_contact_numbers():
    text = "联系人：张璐，手机13812345678。"
    assert {"A01", "A02", "I01"} <= set(_codes(check(text, kind=BRIEF)))
    assert _codes(check(text, kind=NOTICE)) == []


def test_an_id_number_is_an_error_in_a_brief_and_a_warning_in_a_notice():
    text = "李大爷身份证号110101195003071234。"
    [in_brief] = [f for f in check(text, kind=BRIEF) if f.code == "I02"]
    [in_notice] = [f for f in check(text, kind=NOTICE) if f.code == "I02"]
    assert (in_brief.severity, in_notice.severity) == (ERROR, WARNING)
    assert in_brief.suggestion == "110101********1234"


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        check("社区活动", kind="article")


def test_stats_count_characters_with_and_without_whitespace():
    assert stats("社区 活动\n结束　了") == {"chars": 10, "chars_no_space": 7}


def test_findings_come_in_reading_order():
    found = check("社区活动己经结束,，大家投搞。", kind=NOTICE)
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert _codes(found) == ["T01", "P01", "T01"]


def test_word_lists_are_built_once_per_process():
    assert wordlists.automaton() is wordlists.automaton()


def test_the_package_imports_nothing_from_django():
    probe = (
        "import sys, shegong.textcheck as t; t.check('社区活动己经结束。'); "
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_finding_is_a_plain_dataclass():
    finding = Finding("T01", ERROR, 0, 2, "己经", "错别字", "已经")
    assert finding.as_dict()["text"] == "己经"
