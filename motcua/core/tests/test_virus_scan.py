"""The virus-scanner hook (issue #18 item 3): every uploaded file goes through the scanner
command an operator configures (ClamAV's convention: exit 0 clean, 1 infected); an infected
file, or a scanner that fails, refuses the file with a precise message. The scanner here is a
stand-in command that flags the EICAR test string, as a real scanner does."""

from __future__ import annotations

import io
import shlex
import sys

import pytest
from PIL import Image
from pytest_django.fixtures import Settings

from motcua.core.errors import ValidationFailed
from motcua.core.uploads import inspect_upload, scan

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
FLAGS_EICAR = f"{shlex.quote(sys.executable)} -c " + shlex.quote(
    "import sys; sys.exit(1 if b'EICAR-STANDARD' in sys.stdin.buffer.read() else 0)"
)


def _png(extra: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue() + extra


def test_without_a_scanner_nothing_is_run(settings: Settings) -> None:
    settings.MOTCUA_VIRUS_SCAN_COMMAND = ""
    assert inspect_upload(_png(EICAR), name="anh.png").content_type == "image/png"


def test_a_clean_file_passes_and_an_infected_one_is_refused(settings: Settings) -> None:
    settings.MOTCUA_VIRUS_SCAN_COMMAND = FLAGS_EICAR
    assert inspect_upload(_png(), name="anh.png").pages == 1
    with pytest.raises(ValidationFailed) as refused:
        inspect_upload(_png(EICAR), name="anh.png")
    assert "mã độc" in refused.value.message_vi
    assert "infected" in refused.value.message_en


def test_a_failing_scanner_refuses_the_file(settings: Settings) -> None:
    settings.MOTCUA_VIRUS_SCAN_COMMAND = f"{shlex.quote(sys.executable)} -c 'raise SystemExit(2)'"
    with pytest.raises(ValidationFailed) as refused:
        scan(_png(), name="anh.png")
    assert "Chưa kiểm tra được virus" in refused.value.message_vi
    settings.MOTCUA_VIRUS_SCAN_COMMAND = "/khong/co/may-quet"
    with pytest.raises(ValidationFailed):
        scan(_png(), name="anh.png")


def test_the_e_form_refuses_an_infected_upload_with_its_message(settings: Settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from motcua.portal.uploads import UploadRejected, check_upload

    settings.MOTCUA_VIRUS_SCAN_COMMAND = FLAGS_EICAR
    assert check_upload(SimpleUploadedFile("anh.png", _png(), "image/png")).pages == 1
    with pytest.raises(UploadRejected) as refused:
        check_upload(SimpleUploadedFile("anh.png", _png(EICAR), "image/png"))
    assert "mã độc" in refused.value.message
