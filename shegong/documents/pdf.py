"""Our Word files as PDF, where LibreOffice is installed (a server or a test machine; the
users' PCs print the .docx themselves). The fonts the files name are mapped to free CJK
fonts by fonts.conf, so that the PDF shows Chinese, with 黑体/楷体 headings told apart."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts.conf")
TIMEOUT = 300  # seconds for one batch: LibreOffice's first start alone can take 10


def soffice():
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files):
    """{name: .docx bytes} → {name: PDF bytes}, converted by one LibreOffice run."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="shegong-pdf-") as folder:
        work = Path(folder)
        paths = []
        for i, data in enumerate(files.values()):
            path = work / f"{i}.docx"
            path.write_bytes(data)
            paths.append(str(path))
        subprocess.run(
            [
                program,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *paths,
            ],
            env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        return {name: (work / f"{i}.pdf").read_bytes() for i, name in enumerate(files)}


def page_count(pdf):
    """The number of pages of a PDF, as poppler's pdfinfo reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True, text=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def fonts(pdf):
    """The font names embedded in a PDF (poppler's pdffonts)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        listed = subprocess.run(["pdffonts", f.name], check=True, capture_output=True, text=True)
    return [line.split()[0] for line in listed.stdout.splitlines()[2:] if line.strip()]
