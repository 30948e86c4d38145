"""`shegong check-text FILE`: proofread a brief or notice whose first line is the title."""

import bisect
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.textcheck import BRIEF, ERROR, KINDS, SEVERITIES, check, stats
from shegong.textcheck.findings import SEVERITY_LABELS

EXIT_ERRORS = 1
EXIT_UNREADABLE = 2
_REASONS = {
    FileNotFoundError: "文件不存在",
    IsADirectoryError: "这是一个文件夹，不是文件",
    PermissionError: "没有读取权限",
}


def read_text(path):
    """The file as text: UTF-8 (a byte-order mark is dropped), else GB18030, which covers the
    GBK files that Windows editors still save."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        reason = _REASONS.get(type(e), e.strerror or str(e))
        raise CommandError(f"无法读取文件“{path}”：{reason}", returncode=EXIT_UNREADABLE) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(
        f"无法读取文件“{path}”：不是 UTF-8 或 GB18030 编码的文本", returncode=EXIT_UNREADABLE
    )


def split_title(text):
    """(title, body) such that title + "\\n" + body == text. The title is the first line that
    is not blank, with any blank lines before it."""
    start = 0
    while True:
        end = text.find("\n", start)
        if end == -1:
            return text, None
        if text[start:end].strip():
            return text[:end], text[end + 1 :]
        start = end + 1


class Command(BaseCommand):
    help = (
        "审校一篇稿件（文件首行为标题）：标点、数字、的地得、固定表述、错别字、个人信息、"
        "繁体字与网页残留等。退出码：0 没有错误，1 有错误，2 文件无法读取。"
        "位置（行:列，JSON 中的 start/end）按整个文件计，从 0 起数 Unicode 字符。"
    )
    requires_system_checks = []  # text only: no database, no models

    def add_arguments(self, parser):
        parser.add_argument("file", help="稿件文本文件（UTF-8 或 GB18030）")
        parser.add_argument(
            "--kind", choices=KINDS, default=BRIEF, help="brief 简讯（默认）或 notice 通知"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def handle(self, *args, file, kind=BRIEF, as_json=False, **options):
        text = read_text(file)
        title, body = split_title(text)
        findings = check(text, kind=kind) if body is None else check(body, kind=kind, title=title)
        figures = stats(text)
        if as_json:
            payload = {"findings": [f.as_dict() for f in findings], "stats": figures}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            self._report(text, findings, figures)
        if any(f.severity == ERROR for f in findings):
            sys.exit(EXIT_ERRORS)

    def _report(self, text, findings, figures):
        line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        for f in findings:
            line = bisect.bisect_right(line_starts, f.start)
            column = f.start - line_starts[line - 1] + 1
            advice = ""
            if f.suggestion is not None:
                advice = "（建议：删去）" if f.suggestion == "" else f"（建议：{f.suggestion}）"
            label = SEVERITY_LABELS[f.severity]
            self.stdout.write(f"{line}:{column} {label} {f.code} {f.message}{advice}")
        counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
        summary = "，".join(f"{SEVERITY_LABELS[s]} {counts[s]} 处" for s in SEVERITIES)
        verdict = "未发现问题" if not findings else f"共 {len(findings)} 处：{summary}"
        self.stdout.write(
            f"{verdict}。全文 {figures['chars']} 字，不含空白 {figures['chars_no_space']} 字。"
        )
