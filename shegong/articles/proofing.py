"""The proofreader (shegong.textcheck) as the brief editor shows it: findings listed by
severity, and the text cut into plain and marked pieces so each finding is highlighted in
place."""

import difflib
from dataclasses import dataclass, field

from shegong.textcheck import BRIEF, ERROR, check, stats


@dataclass
class Piece:
    text: str
    finding: object = None  # the finding this piece is marked with, if any


@dataclass
class Proof:
    findings: list
    pieces: list = field(default_factory=list)  # title + "\n" + body, cut at findings
    stats: dict = field(default_factory=dict)

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def others(self):
        return [f for f in self.findings if f.severity != ERROR]


def proofread(title, body, kind=BRIEF):
    """`kind` is textcheck's: a brief (the default) or a document such as a summary."""
    text = f"{title}\n{body}"
    findings = check(body, kind=kind, title=title)
    pieces, at = [], 0
    for f in findings:
        if f.end <= f.start or f.start < at:
            continue  # a document-level finding, or one overlapping the previous mark
        if f.start > at:
            pieces.append(Piece(text[at : f.start]))
        pieces.append(Piece(text[f.start : f.end], f))
        at = f.end
    pieces.append(Piece(text[at:]))
    return Proof(findings, pieces, stats(body))


def error_messages(proof):
    """One Chinese line per error-level finding, for the refusal of a submission."""
    out = []
    for f in proof.errors:
        where = f"“{f.text}”：" if f.text else ""
        hint = f"（建议改为“{f.suggestion}”）" if f.suggestion else ""
        out.append(f"[{f.code}] {where}{f.message}{hint}")
    return out


def diff_pieces(before, after):
    """What changed from one version's text to the next, character by character:
    [(op, text)] with op "=" kept, "-" removed, "+" added."""
    out = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", before[a1:a2]))
            continue
        if a2 > a1:
            out.append(("-", before[a1:a2]))
        if b2 > b1:
            out.append(("+", after[b1:b2]))
    return out
