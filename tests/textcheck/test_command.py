"""`shegong check-text FILE`: plain and JSON output, exit codes, offsets into the whole file."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SEEDS = Path(__file__).resolve().parent / "seeds"
CLEAN_BRIEF = Path(__file__).resolve().parent / "brief_clean.txt"


def _run(*args):
    """(exit code, stdout) of the command run in-process."""
    out = StringIO()
    try:
        call_command("check_text", *map(str, args), stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


def test_clean_brief_exits_zero_and_says_so(tmp_path):
    code, out = _run(CLEAN_BRIEF)
    assert code == 0
    assert out.startswith("未发现问题。")
    assert "全文 508 字" in out


def test_errors_exit_one_with_one_line_per_finding_at_line_and_column(tmp_path):
    path = tmp_path / "brief.txt"
    path.write_text(
        "社区重阳节活动\n3月21日，社工在社区为老人服务。\n活动己经结束。\n", encoding="utf-8"
    )
    code, out = _run(path, "--kind", "notice")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "3:3 错误 T01 错别字：“己经”应为“已经”（建议：已经）"
    assert lines[-1].startswith("共 1 处：错误 1 处，警告 0 处，提示 0 处。")


def test_json_output_has_exactly_the_documented_fields(tmp_path):
    path = tmp_path / "brief.txt"
    text = "社区重阳节活动\n3月21日，社工在社区为老人服务，活动己经结束。"
    path.write_text(text, encoding="utf-8")
    code, out = _run(path, "--json", "--kind", "notice")
    payload = json.loads(out)
    assert code == 1
    assert set(payload) == {"findings", "stats"}
    assert payload["stats"] == {"chars": len(text), "chars_no_space": len(text) - 1}
    [finding] = payload["findings"]
    assert set(finding) == {"code", "severity", "start", "end", "text", "message", "suggestion"}
    # Offsets index the whole file, title line included.
    assert text[finding["start"] : finding["end"]] == "己经" == finding["text"]
    assert "己经" in out  # ensure_ascii=False


def test_offsets_index_the_whole_file_when_it_starts_with_blank_lines():
    text = (SEEDS / "002_d1b0a58d90d0dfaa.txt").read_text(encoding="utf-8")
    code, out = _run(SEEDS / "002_d1b0a58d90d0dfaa.txt", "--json")
    assert code == 0
    for finding in json.loads(out)["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["text"]


def test_a_gb18030_file_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("社区活动\n活动己经结束。".encode("gb18030"))
    code, out = _run(path, "--kind", "notice")
    assert code == 1 and "己经" in out


def test_a_missing_file_exits_two_with_a_chinese_message(tmp_path):
    with pytest.raises(CommandError, match=r"无法读取文件.*文件不存在") as caught:
        _run(tmp_path / "missing.txt")
    assert caught.value.returncode == 2


def test_a_binary_file_exits_two(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    with pytest.raises(CommandError, match="不是 UTF-8 或 GB18030") as caught:
        _run(path)
    assert caught.value.returncode == 2


def test_the_console_script_accepts_the_hyphenated_name():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "shegong.manage",
            "check-text",
            str(SEEDS / "004_380f4a7d7e57fe8f.txt"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "错误 S01 垃圾广告" in result.stdout


def test_offsets_count_windows_line_breaks_as_given(tmp_path):
    path = tmp_path / "crlf.txt"
    text = "社区重阳节活动\r\n3月21日，社工在社区为老人服务。\r\n活动己经结束。\r\n"
    path.write_bytes(text.encode("utf-8-sig"))  # with a byte-order mark, which is not counted
    code, out = _run(path, "--json", "--kind", "notice")
    [finding] = json.loads(out)["findings"]
    assert code == 1
    assert text[finding["start"] : finding["end"]] == "己经"
