"""Archive files of purged audit events: JSON Lines, one event a line in seq order, then a
trailer line signed with HMAC-SHA256 under SECRET_KEY.

The signature covers every event line and the trailer's own fields (first and last seq, the
last hash, the count), so the file cannot be cut, extended or edited unnoticed by anyone who
does not hold the key; the events inside still form a hash chain that `check_file` walks.
"""

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import chain

KIND = "shegong-audit-archive"
VERSION = 1


class ArchiveError(Exception):
    """str(e) says in Chinese why the archive could not be written."""


def _json(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _line(row):
    """One event as an archive line: every column as hashed (chain.events() gives them so:
    `at` in UTC with microseconds)."""
    return (_json(row) + "\n").encode()


def _signature(body_mac, trailer):
    """The trailer's hmac: the HMAC over the event lines (body_mac), continued over the
    trailer's other fields."""
    mac = body_mac.copy()
    mac.update(_json({k: v for k, v in trailer.items() if k != "hmac"}).encode())
    return mac.hexdigest()


def _keys():
    """SECRET_KEY, then the retired keys kept in SECRET_KEY_FALLBACKS, as HMAC keys."""
    return [k.encode() for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def _day(at):
    return timezone.localtime(at).strftime("%Y%m%d")


@dataclass
class Written:
    path: Path
    count: int
    first_seq: int
    last_seq: int
    last_hash: str
    first_at: datetime
    last_at: datetime
    sha256: str


def write(directory, rows, *, seq, prev_hash):
    """Write `rows` (chain.events() dicts, continuing the event (seq, prev_hash)) to a new
    archive file in `directory`, checking each event on the way; ArchiveError at the first
    that does not verify (nothing is left behind). The file is named for its date range."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    key = settings.SECRET_KEY.encode()
    mac, sha = hmac.new(key, digestmod=hashlib.sha256), hashlib.sha256()
    first = last = None
    count = 0
    handle, temp = tempfile.mkstemp(prefix=".audit-", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            for row, problem in chain.check(rows, seq=seq, prev_hash=prev_hash):
                if problem:
                    raise ArchiveError(
                        f"审计日志第 {row['seq']} 号事件未通过校验（{problem}），未归档"
                    )
                data = _line(row)
                out.write(data)
                mac.update(data)
                sha.update(data)
                first = first or row
                last = row
                count += 1
            if not count:
                raise ArchiveError("没有需要归档的事件")
            trailer = {
                "kind": KIND,
                "version": VERSION,
                "count": count,
                "first_seq": first["seq"],
                "first_prev_hash": first["prev_hash"],
                "last_seq": last["seq"],
                "last_hash": last["hash"],
                "first_at": first["at"],
                "last_at": last["at"],
                "written_at": timezone.now().astimezone(chain.UTC).isoformat(),
            }
            trailer["hmac"] = _signature(mac, trailer)
            data = (_json({"trailer": trailer}) + "\n").encode()
            out.write(data)
            sha.update(data)
            out.flush()
            os.fsync(out.fileno())
        days = [_day(datetime.fromisoformat(row["at"])) for row in (first, last)]
        name = f"audit-{days[0]}-{days[1]}-{first['seq']}-{last['seq']}.jsonl"
        path = directory / name
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Written(
        path=path,
        count=count,
        first_seq=first["seq"],
        last_seq=last["seq"],
        last_hash=last["hash"],
        first_at=datetime.fromisoformat(first["at"]),
        last_at=datetime.fromisoformat(last["at"]),
        sha256=sha.hexdigest(),
    )


@dataclass
class FileCheck:
    ok: bool
    message: str
    count: int = 0


def _body(path):
    """The event lines of the file (all but the last line), read as a stream."""
    with open(path, "rb") as f:
        previous = None
        for line in f:
            if previous is not None:
                yield previous
            previous = line


def _trailer(path):
    """The last line's trailer dict, or None."""
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - 65536))
        tail = f.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        trailer = json.loads(tail)["trailer"]
    except (KeyError, TypeError, ValueError):
        return None
    return trailer if isinstance(trailer, dict) and trailer.get("kind") == KIND else None


def check_file(path):
    """Check an archive file's signature, then the chain inside it; both read as streams."""
    path = Path(path)
    name = path.name
    try:
        trailer = _trailer(path)
    except OSError as e:
        return FileCheck(False, f"无法读取归档文件 {name}：{e.strerror or e}")
    if trailer is None:
        return FileCheck(
            False, f"归档文件 {name} 不完整：最后一行不是签名行（文件被截断，或不是审计归档）"
        )
    macs = [hmac.new(key, digestmod=hashlib.sha256) for key in _keys()]
    for line in _body(path):
        for mac in macs:
            mac.update(line)
    given = str(trailer.get("hmac", ""))
    if not any(hmac.compare_digest(_signature(mac, trailer), given) for mac in macs):
        return FileCheck(
            False,
            f"归档文件 {name} 签名不符：事件行或签名行被改动（或签名时的 SECRET_KEY 已不在"
            "本机的 SECRET_KEY / SECRET_KEY_FALLBACKS 中）",
        )
    try:
        loads = json.JSONDecoder(parse_float=chain.number).decode
        rows = (loads(line.decode()) for line in _body(path))
        seq, prev_hash = trailer["first_seq"] - 1, trailer["first_prev_hash"]
        count, last = 0, {}
        for row, problem in chain.check(rows, seq=seq, prev_hash=prev_hash):
            if problem:
                what = f"第 {row['seq']} 号事件（id {row['id']}，{row['at']}，{row['action']}）"
                return FileCheck(False, f"归档文件 {name} 校验未通过：{what}{problem}")
            count, last = count + 1, row
    except (KeyError, TypeError, ValueError):
        return FileCheck(False, f"归档文件 {name} 有无法解析的行")
    if (count, last.get("seq"), last.get("hash")) != (
        trailer["count"],
        trailer["last_seq"],
        trailer["last_hash"],
    ):
        return FileCheck(False, f"归档文件 {name} 校验未通过：事件数或最后一个事件与签名行不符")
    return FileCheck(
        True,
        f"归档文件 {name} 校验通过：签名有效，{count:,} 个事件（第 {trailer['first_seq']}–"
        f"{trailer['last_seq']} 号）链接完整，最后哈希 {trailer['last_hash'][:16]}。",
        count=count,
    )
