"""Start-up cost (issue #12 part 10): the deadline CLI, ``django.setup()``, a worker's boot and
an operator command import only what they use — the PDF, signing, font and spreadsheet
libraries load when a document is rendered or signed, not at start-up. Each case runs in a
fresh interpreter and reads ``sys.modules`` at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("fpdf", "pyhanko", "pyhanko_certvalidator", "openpyxl", "segno", "fontpkg_be_vietnam_pro")

REPORT = f"""
import json, sys
print("HEAVY=" + json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))
"""

CASES = {
    "motcua deadline": """
import sys
from motcua.cli import main
try:
    main(["deadline", "--received", "2026-02-12T16:10", "--limit", "3", "--unit", "working_days"])
except SystemExit:
    pass
""",
    "django.setup()": """
import django
django.setup()
""",
    "worker boot (command, schedule, job modules)": """
import django
django.setup()
from django.core.management import load_command_class
from django.utils.module_loading import import_string
command = load_command_class("motcua.core", "worker")
assert not command.requires_system_checks, "system checks load every view"
from config.jobs import SCHEDULE
for path, _ in SCHEDULE:
    import_string(path)
""",
    "motcua check_integrity --only codes": """
from django.core.management import execute_from_command_line
execute_from_command_line(["motcua", "check_integrity", "--only", "codes"])
""",
}


@pytest.mark.parametrize("case", list(CASES))
def test_start_up_does_not_import_pdf_signing_or_spreadsheet_libraries(
    case: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["MOTCUA_SQLITE_PATH"] = str(tmp_path / "empty.sqlite3")
    env["MOTCUA_LOG_LEVEL"] = "WARNING"
    if "check_integrity" in case:  # it reads the database: give it a migrated one
        migrate = subprocess.run(
            [sys.executable, "-m", "motcua.cli", "migrate", "-v", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr[-2000:]
    run = subprocess.run(
        [sys.executable, "-c", CASES[case] + REPORT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    line = next(x for x in run.stdout.splitlines() if x.startswith("HEAVY="))
    assert json.loads(line.removeprefix("HEAVY=")) == [], run.stdout


def test_the_probe_sees_a_heavy_library_once_it_is_used(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    code = "import django\ndjango.setup()\nimport motcua.documents.result_pdf\n" + REPORT
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    line = next(x for x in run.stdout.splitlines() if x.startswith("HEAVY="))
    assert "fpdf" in json.loads(line.removeprefix("HEAVY="))
