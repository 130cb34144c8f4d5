"""``motcua document`` (issue #16 item 8): ids one per line, files as signed and as sent, exit
code 2 with a clear message on bad input."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.correspondence.models import BodyProfile
from motcua.correspondence.tests.factories import draft, to_released

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("document", *args, stdout=out)
    return out.getvalue()


def test_list_export_and_edxml(
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    first = draft(pc_a, specialist_a, leader_a)
    released = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    assert run("list", "--direction", "out", "--state", "draft").split() == [str(first.pk)]
    assert run("list", "--direction", "out", "--state", "released").split() == [str(released.pk)]
    assert run("list", "--direction", "out", "--limit", "1").split() == [str(released.pk)]
    assert run("list", "--direction", "in").split() == []
    pdf, xml = tmp_path / "doc.pdf", tmp_path / "doc.xml"
    run("export", str(released.pk), str(pdf))
    run("edxml", str(released.pk), str(xml))
    released.refresh_from_db()
    assert pdf.read_bytes() == released.pdf.read()
    assert xml.read_bytes().startswith(b"<?xml")
    assert str(released.pk).encode() in xml.read_bytes()
    with pytest.raises(CommandError, match="no signed PDF") as caught:
        run("export", str(first.pk), str(tmp_path / "draft.pdf"))
    assert caught.value.returncode == 2
    assert not (tmp_path / "draft.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "not-a-uuid", "x.pdf"], "not a document id"),
        (["export", "6f1c1b7e-4a0e-4a55-9d55-2b2f1c0e9d11", "x.pdf"], "no document"),
        (["list", "--direction", "out", "--limit", "0"], "between 1 and"),
        (["list", "--direction", "out", "--limit", "ten"], "not a whole number"),
    ],
)
def test_bad_input_exits_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 2


def test_the_motcua_command_exits_2_on_an_unknown_state() -> None:
    """Through the installed entry point, as an operator types it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "document", "list", "--direction", "out",
         "--state", "lost"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "invalid choice: 'lost'" in done.stderr
    assert done.stdout == ""
