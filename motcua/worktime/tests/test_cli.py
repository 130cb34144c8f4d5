"""The `motcua deadline` contract: first line is the due time; bad input: one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from motcua.worktime.cli import deadline_main

ROOT = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    try:
        code = deadline_main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out.splitlines(), out.err


# (received, limit, unit, cutoff, expected, rule) — DOMAIN.md §12 and cases derived from it.
CASES = [
    ("2026-03-09T09:00", "3", "working_days", False, "2026-03-12T09:00", "E1 R-TIME-08"),
    ("2026-03-10T15:30", "1", "same_day", False, "2026-03-11T17:00", "E2 R-TIME-10"),
    ("2026-03-10T14:50", "1", "same_day", False, "2026-03-10T17:00", "E2 R-TIME-10"),
    ("2026-03-13T15:30", "1", "same_day", False, "2026-03-16T17:00", "E2 Friday R-TIME-10"),
    ("2026-03-10T15:30", "3", "working_days", False, "2026-03-13T15:30", "E2 no flag"),
    ("2026-03-10T15:30", "3", "working_days", True, "2026-03-13T17:00", "E2 flag R-TIME-05"),
    ("2026-02-12T10:00", "5", "working_days", False, "2026-02-26T10:00", "E3 Tết R-CAL-02"),
    ("2026-02-10T10:00", "10", "days", False, "2026-02-23T23:59", "E3 calendar R-TIME-09"),
    ("2025-12-31T14:00", "3", "working_days", False, "2026-01-07T14:00", "E4a swap R-CAL-01"),
    ("2026-01-07T09:00", "3", "working_days", False, "2026-01-10T09:00", "E4b Saturday R-CAL-02"),
    ("2026-03-10T12:15", "0.5", "working_days", False, "2026-03-11T07:30", "E5a lunch R-TIME-07"),
    ("2026-03-10T12:15", "1", "working_days", False, "2026-03-11T11:30", "E5b exact fit R-TIME-08"),
    (
        "2026-03-13T20:40",
        "2",
        "working_days",
        False,
        "2026-03-17T17:00",
        "E6 after hours R-TIME-06",
    ),
    # Derived: a Friday-evening receipt before Tết, 16 working hours.
    ("2026-02-13T17:30", "2", "working_days", False, "2026-02-24T17:00", "Friday evening + Tết"),
    # Derived: a Sunday receipt counts from Monday 07:00.
    ("2026-03-15T10:00", "8", "working_hours", False, "2026-03-16T17:00", "Sunday R-TIME-07"),
    # Derived: exactly 15:00 is not after 15:00.
    ("2026-03-10T15:00", "1", "same_day", False, "2026-03-10T17:00", "15:00 R-TIME-05"),
    ("2026-03-10T15:01", "1", "same_day", False, "2026-03-11T17:00", "15:01 R-TIME-05"),
    # Derived: Hùng Kings' compensatory day off, then 30/4 and 1/5 2026.
    ("2026-04-24T16:00", "3", "working_days", False, "2026-05-04T16:00", "late April 2026"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("received", "limit", "unit", "cutoff", "expected", "rule"), CASES)
def test_the_cli_gives_the_legal_due_time(
    capsys: pytest.CaptureFixture[str],
    received: str,
    limit: str,
    unit: str,
    cutoff: bool,
    expected: str,
    rule: str,
) -> None:
    """GIVEN a receipt time and a time limit WHEN the deadline is asked THEN the first line is
    the due time of DOMAIN.md §12 ({rule})."""
    args = ["--received", received, "--limit", limit, "--unit", unit]
    if cutoff:
        args.append("--cutoff-1500")
    code, lines, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert lines == [expected], rule


@pytest.mark.django_db
def test_explain_adds_the_steps_after_the_first_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(
        capsys,
        "--received",
        "2026-03-09T09:00",
        "--limit",
        "3",
        "--unit",
        "working_days",
        "--explain",
        "--province",
        "92",
    )
    assert code == 0
    assert lines[0] == "2026-03-12T09:00"
    assert any("database" in line for line in lines[1:])
    assert any("2026-03-09" in line for line in lines[1:])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--received", "12/02/2026 16:10", "--limit", "3", "--unit", "working_days"],
        ["--received", "2026-02-12T16:10", "--limit", "ba", "--unit", "working_days"],
        ["--received", "2026-02-12T16:10", "--limit", "3", "--unit", "weeks"],
        ["--received", "2026-02-12T16:10", "--limit", "-1", "--unit", "working_days"],
        ["--received", "2026-02-12T16:10", "--limit", "3", "--unit", "days", "--province", "999"],
        ["--limit", "3", "--unit", "working_days"],
    ],
)
def test_invalid_input_gives_one_line_on_stderr_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, lines, err = run(capsys, *args)
    assert code == 2
    assert lines == []
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("motcua deadline: error:")


def test_the_installed_command_keeps_the_contract(tmp_path: Path) -> None:
    """The console script itself, as external checks call it (no database calendar needed)."""
    exe = Path(sys.executable).with_name("motcua")
    env = {"PATH": str(exe.parent), "MOTCUA_VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    ok = subprocess.run(
        [
            str(exe),
            "deadline",
            "--received",
            "2026-02-12T16:10",
            "--limit",
            "3",
            "--unit",
            "working_days",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[0] == "2026-02-24T16:10"
    bad = subprocess.run(
        [str(exe), "deadline", "--received", "nope", "--limit", "3", "--unit", "working_days"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode == 2
    assert len(bad.stderr.strip().splitlines()) == 1
