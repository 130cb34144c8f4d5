"""Issue #12 item 6: the tracking lookup's attempt limit holds under concurrency, behind a
configured reverse proxy. A second web server on the demo site's database, trusting one proxy,
takes 80 simultaneous guesses from one client: at most the limit (10) are evaluated, the rest get
the product's 429, none a server error. (The client address is the proxy-forwarded one, so the
demo site's other tests, from 127.0.0.1, are not locked out.)"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.browser.conftest import BIN, ROOT, DemoServer, _free_port, _stop, wait_for

pytestmark = pytest.mark.browser
GUESSES = 80


@pytest.fixture
def proxied(demo_server: DemoServer) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "8",
        ],
        env={**demo_server.env, "MOTCUA_PROXY_COUNT": "1"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/healthz", "the proxied server")
        yield url
    finally:
        _stop(server)


def test_eighty_concurrent_guesses_get_at_most_ten_evaluations(proxied: str) -> None:
    forwarded = {"X-Forwarded-For": "198.51.100.77"}
    with httpx.Client(base_url=proxied, headers=forwarded, timeout=60) as client:
        page = client.get("/tra-cuu/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token is not None
        cookies = dict(client.cookies)

    def guess(n: int) -> int:
        with httpx.Client(base_url=proxied, headers=forwarded, cookies=cookies, timeout=60) as one:
            return one.post(
                "/tra-cuu/",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "ma": f"H92.00000.01-260101-{n:04d}",
                    "so": "0000",
                },
                headers={"Referer": f"{proxied}/tra-cuu/"},
            ).status_code

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = Counter(pool.map(guess, range(GUESSES)))
    assert sum(statuses.values()) == GUESSES
    assert set(statuses) <= {404, 429}, statuses
    assert statuses[404] <= 10, statuses  # MOTCUA_TRACKING_ATTEMPTS
    assert statuses[429] >= GUESSES - 10
