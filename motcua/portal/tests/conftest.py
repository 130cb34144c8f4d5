"""The VNeID simulator as a real process for the login tests (R-AUTH-01), and small files."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings as SettingsWrapper

from simulators.tests.conftest import SimProcess, start_simulator

#: The simulator accepts any port on 127.0.0.1 for the dev client; the test client's host is
#: "testserver", so the redirect URI is configured rather than built from the request.
REDIRECT_URI = "http://127.0.0.1:8000/auth/vneid/callback"


@pytest.fixture(scope="session")
def vneid_sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimProcess]:
    sim = start_simulator("vneid", tmp_path_factory.mktemp("vneid"))
    yield sim
    sim.stop()


@pytest.fixture
def vneid(vneid_sim: SimProcess, settings: SettingsWrapper) -> SimProcess:
    settings.MOTCUA_VNEID_ISSUER = vneid_sim.url
    settings.MOTCUA_VNEID_REDIRECT_URI = REDIRECT_URI
    cache.clear()
    return vneid_sim


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def pdf_bytes(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(kind: str = "PNG") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()
