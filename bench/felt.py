"""``motcua bench felt``: speed as a citizen feels it, in a real browser (issue #14 item 9).

    motcua bench felt [--restarts N] [--warm W] [--seed demo|bench] [--server gunicorn|runserver]
                      [--pages home,eform,search] [--before] [--dir DIR]

Targets: the first page after a start ≤ 1 s, opening an e-form ≤ 500 ms, the catalogue search
``/thu-tuc/?q=…`` ≤ 300 ms, **even on the first request after a restart**.

How it runs:

* a throw-away directory holds the SQLite database and everything the server writes
  (``MOTCUA_VAR_DIR``, the saved assistant index included); it is seeded once, as the demo is
  (``motcua demo_setup``, the default) or with the benchmarks' seed and the index built as
  ``demo_setup`` builds it (``--seed bench``, faster), then, as ``make demo`` does, the project's
  bytecode is compiled and the static files collected (``--dir`` keeps the site for later runs);
* a citizen session (the persona ``congdan.an``, as after a VNeID login) is written into the
  database once and given to the browser as its cookie, so the e-form opens without the identity
  provider;
* for every restart and every page, the server is started fresh as the Procfile starts it
  (``gunicorn -c config/gunicorn_conf.py config.wsgi``, or ``manage.py runserver
  --noreload``), the bench waits until it serves a static file (the server is up), then
  Playwright drives Debian's chromium (a new browser context, no cache) to the page: that is the
  **first request after start**; then ``--warm`` more navigations to the same page are the
  **warm** requests; the server is stopped (SIGTERM to its process group);
* ``--before`` also starts every server as before issue #14 item 9 (no warm-up, no
  ``--preload``), in the same run, for comparison;
* the time of a navigation is read from the browser's Navigation Timing:
  ``responseEnd − startTime`` (the page's last byte, redirects included: opening the e-form is
  ``/nop-ho-so/<code>/`` → the draft) and ``loadEventEnd − startTime`` (the page loaded with its
  styles and scripts);
* the **baseline**, measured in the same run on the same servers: navigations to ``/healthz``
  (the smallest Django answer) and to a static file, warm.

Prints the machine (load average: the machine is shared), a table per page with p50 and max of
the first and the warm requests against the target, and last:

``restarts=<n> first_home_ms=<n> first_eform_ms=<n> first_search_ms=<n> warm_home_ms=<n>
warm_eform_ms=<n> warm_search_ms=<n> baseline_ms=<n>`` (max of the first requests, p50 of the
warm ones, p50 of the ``/healthz`` baseline; ``responseEnd``; 0 for a page not measured).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import ROOT, load_average, machine, note, say, table

BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CITIZEN = "congdan.an"
EFORM_CODE = "1.001193"  # birth registration: the e-form people open most
SEARCH = "đăng ký khai sinh cho con"
STATIC = "/static/web/motcua.css"
HTTP_OK = 200
HTTP_ERROR = 400

# page → (path, target ms on the first request after start)
PAGES: dict[str, tuple[str, float]] = {
    "home": ("/", 1000.0),
    "eform": (f"/nop-ho-so/{EFORM_CODE}/", 500.0),
    "search": ("/thu-tuc/?q=" + SEARCH.replace(" ", "+"), 300.0),
}

SESSION_SNIPPET = """
import django
django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from motcua.accounts.models import User
from motcua.portal.auth import SESSION_LOA
user = User.objects.get(username=%r)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store[SESSION_LOA] = "2"
store.set_expiry(6 * 3600)
store.save()
print(settings.SESSION_COOKIE_NAME, store.session_key)
"""

BENCH_SEED_SNIPPET = """
import django
django.setup()
from bench.common import PROVINCE, migrate_and_seed
from motcua.assistant import index
migrate_and_seed()
index.warm(PROVINCE)  # as demo_setup does
"""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench felt")
    parser.add_argument("--restarts", type=int, default=3, help="fresh starts per page")
    parser.add_argument("--warm", type=int, default=5, help="warm navigations per start")
    parser.add_argument("--seed", choices=("demo", "bench"), default="demo")
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help=f"comma-separated, among {', '.join(PAGES)}"
    )
    parser.add_argument(
        "--before", action="store_true",
        help="also start the servers as before issue #14 item 9 (no warm-up, no --preload)",
    )  # fmt: skip
    parser.add_argument(
        "--dir", type=Path, default=None,
        help="keep the site in this directory (seeded once, reused by later runs)",
    )  # fmt: skip
    options = parser.parse_args(argv)
    options.pages = [p for p in options.pages.split(",") if p]
    unknown = set(options.pages) - set(PAGES)
    if unknown or options.restarts < 1 or options.warm < 1:
        parser.error(f"bad --pages {sorted(unknown)} or --restarts/--warm below 1")
    return options


@dataclass
class Timings:
    first: list[float] = field(default_factory=list)  # responseEnd of the first request
    first_load: list[float] = field(default_factory=list)  # loadEventEnd
    warm: list[float] = field(default_factory=list)
    warm_load: list[float] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str], what: str, timeout: float = 900) -> str:
    started = time.perf_counter()
    done = subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    note(f"# {what}: {time.perf_counter() - started:.1f} s")
    return done.stdout


def prepare(directory: Path, seed: str) -> tuple[dict[str, str], tuple[str, str]]:
    """The environment of a demo site in ``directory``, seeded; the citizen's cookie."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MOTCUA_BENCH_CHILD")}
    env.update(
        {
            "MOTCUA_VAR_DIR": str(directory),
            "MOTCUA_SQLITE_PATH": str(directory / "felt.sqlite3"),
            "MOTCUA_TESTING": "0",
            "MOTCUA_LOG_LEVEL": "WARNING",
            "MOTCUA_DEBUG": "0",
        }
    )
    env.pop("MOTCUA_ASSISTANT_INDEX_DIR", None)  # the site's own var/ (the throw-away one)
    python = str(BIN / "python")
    if (directory / "felt.sqlite3").exists():
        note(f"# reusing the site in {directory}")
    elif seed == "demo":
        _run([str(BIN / "motcua"), "demo_setup"], env, "demo_setup")
    else:
        _run([python, "-c", BENCH_SEED_SNIPPET], env, "bench seed")
    # As `make demo`: the project's bytecode, the static files.
    _run([python, "-m", "compileall", "-q", "-j", "0", "motcua", "config"], env, "compileall")
    _run([str(BIN / "motcua"), "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")
    name, key = _run([python, "-c", SESSION_SNIPPET % CITIZEN], env, "citizen session").split()
    return env, (name, key)


def _server_command(kind: str, port: int, *, before: bool) -> list[str]:
    if kind == "runserver":
        return [str(BIN / "python"), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    if before:  # the web process before decision 0013: no preload, the workers load the app
        return [
            str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
            "2", "--threads", "4", "--log-level", "warning",
        ]  # fmt: skip
    # As the Procfile's web process (config/gunicorn_conf.py: preload, workers, threads).
    return [
        str(BIN / "gunicorn"), "-c", str(ROOT / "config" / "gunicorn_conf.py"), "config.wsgi",
        "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip


def _wait_static(url: str, process: subprocess.Popen[bytes], timeout: float = 300) -> float:
    """Seconds until the server answers a static file (the server is up)."""
    import httpx

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit status {process.returncode})")
        try:
            if httpx.get(url + STATIC, timeout=5).status_code == HTTP_OK:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


@contextmanager
def server(kind: str, env: dict[str, str], *, before: bool) -> Iterator[tuple[str, float]]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**env, "MOTCUA_PUBLIC_URL": url}
    if before:
        env.update(MOTCUA_WARM_UP="0", MOTCUA_ASSISTANT_PRELOAD="0")
    process = subprocess.Popen(
        _server_command(kind, port, before=before), env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield url, _wait_static(url, process)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        except ProcessLookupError:
            pass


NAVIGATION = (
    "(() => { const n = performance.getEntriesByType('navigation')[0];"
    " return [n.responseEnd - n.startTime, n.loadEventEnd - n.startTime]; })()"
)


def navigate(context: Any, url: str) -> tuple[float, float]:
    """(responseEnd, loadEventEnd) in ms of one navigation in a new tab."""
    page = context.new_page()
    try:
        response = page.goto(url, wait_until="load", timeout=300_000)
        if response is None or response.status >= HTTP_ERROR:
            status = None if response is None else response.status
            raise RuntimeError(f"{url} answered {status}")
        page.wait_for_function(
            "performance.getEntriesByType('navigation')[0].loadEventEnd > 0", timeout=30_000
        )
        end, load = page.evaluate(NAVIGATION)
        return float(end), float(load)
    finally:
        page.close()


@dataclass
class Run:
    """Everything measured in one run of the benchmark."""

    options: argparse.Namespace
    env: dict[str, str]
    cookie: tuple[str, str]
    results: dict[tuple[str, bool], Timings]
    baseline: Timings = field(default_factory=Timings)  # /healthz
    static: Timings = field(default_factory=Timings)  # a static file
    starts: dict[bool, list[float]] = field(default_factory=dict)


def measure(browser: Any, run: Run, name: str, before: bool) -> None:
    """Start a server, time the first navigation to page ``name`` and ``--warm`` more."""
    timing = run.results[(name, before)]
    with server(run.options.server, run.env, before=before) as (url, up):
        run.starts.setdefault(before, []).append(up)
        context = browser.new_context()
        context.add_cookies([{"name": run.cookie[0], "value": run.cookie[1], "url": url}])
        target = url + PAGES[name][0]
        end, load = navigate(context, target)
        timing.first.append(end)
        timing.first_load.append(load)
        for _ in range(run.options.warm):
            end, load = navigate(context, target)
            timing.warm.append(end)
            timing.warm_load.append(load)
        if not before:
            run.baseline.warm.append(navigate(context, url + "/healthz")[0])
            run.static.warm.append(navigate(context, url + STATIC)[0])
        context.close()


def _stats(values: list[float]) -> tuple[float, float]:
    return (statistics.median(values), max(values)) if values else (0.0, 0.0)


def report(run: Run) -> None:
    rows = []
    for (name, before), timing in sorted(run.results.items(), key=lambda kv: kv[0][1]):
        target = PAGES[name][1]
        p50_first, max_first = _stats(timing.first)
        p50_warm, max_warm = _stats(timing.warm)
        met = max_first <= target and max_warm <= target
        rows.append(
            [
                f"{name}{' (before)' if before else ''} {PAGES[name][0][:30]}",
                f"{target:.0f}",
                f"{p50_first:.0f}",
                f"{max_first:.0f}",
                f"{_stats(timing.first_load)[1]:.0f}",
                f"{p50_warm:.0f}",
                f"{max_warm:.0f}",
                "yes" if met else "NO",
            ]
        )
    for label, timing in (("baseline /healthz", run.baseline), ("baseline static", run.static)):
        p50, worst = _stats(timing.warm)
        rows.append([label, "", "", "", "", f"{p50:.0f}", f"{worst:.0f}", ""])
    header = ["page", "target", "first p50", "first max", "first load max", "warm p50",
              "warm max", "met"]  # fmt: skip
    say(table(rows, header))
    say(
        "# ms from the browser's Navigation Timing: responseEnd − startTime (load: loadEventEnd);"
        f" {run.options.restarts} fresh starts per page, {run.options.warm} warm navigations"
        " after each"
    )


def main(argv: list[str]) -> int:
    options = parse(argv)
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        say("# Debian's chromium is missing: `make install` installs it")
        return 1
    say(f"# {machine()}")
    say(f"# server: {options.server} as the Procfile; seed: {options.seed}")
    variants = [False, True] if options.before else [False]
    directory = options.dir or Path(tempfile.mkdtemp(prefix="motcua-felt-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        env, cookie = prepare(directory, options.seed)
        run = Run(
            options,
            env,
            cookie,
            {(name, before): Timings() for before in variants for name in options.pages},
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for restart in range(options.restarts):
                    for before in variants:
                        for name in options.pages:
                            measure(browser, run, name, before)
                    note(f"# restart {restart + 1}/{options.restarts} done; {load_average()}")
            finally:
                browser.close()
    finally:
        if options.dir is None:
            shutil.rmtree(directory, ignore_errors=True)
    for before in variants:
        say(
            f"# server{' (before)' if before else ''} up (answers a static file) "
            f"{statistics.median(run.starts[before]):.1f} s after start "
            f"(median of {len(run.starts[before])} starts)"
        )
    report(run)
    say(f"# {load_average()}")

    def first(name: str) -> str:
        timing = run.results.get((name, False))
        return f"{_stats(timing.first)[1]:.0f}" if timing else "0"

    def warm(name: str) -> str:
        timing = run.results.get((name, False))
        return f"{_stats(timing.warm)[0]:.0f}" if timing else "0"

    print(
        f"restarts={options.restarts} first_home_ms={first('home')} "
        f"first_eform_ms={first('eform')} first_search_ms={first('search')} "
        f"warm_home_ms={warm('home')} warm_eform_ms={warm('eform')} "
        f"warm_search_ms={warm('search')} baseline_ms={_stats(run.baseline.warm)[0]:.0f}",
        flush=True,
    )
    return 0
