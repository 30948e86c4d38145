"""What a check reports: one finding per spot, with offsets in code points of the text."""

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One spot in the text. `start`/`end` index the checked text in Unicode code points
    (Python string indices); document-level findings have an empty span. `suggestion` is
    the replacement for text[start:end] ("" means delete it), or None when there is none."""

    code: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None

    def as_dict(self):
        return asdict(self)
