"""A demo server wired to a real VNeID simulator, for the citizen browser tests.

The session's ``demo_server`` (conftest) runs the simulated VNeID beside the demo server; the
citizen tests use it through ``citizen_site``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import ROOT, DemoServer

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOT_DIR", str(ROOT / "var" / "screenshots")))


@dataclass(frozen=True)
class CitizenSite:
    server: DemoServer
    vneid_url: str

    @property
    def url(self) -> str:
        return self.server.url


def citizen_site(server: DemoServer) -> CitizenSite:
    """The session's demo site (tests/browser/conftest.py), seen from the citizen's side."""
    return CitizenSite(server=server, vneid_url=server.vneid_url)
