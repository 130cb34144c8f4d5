"""The Monday-morning mix for ``motcua bench load`` (bench/load.py), run by locust headless.

Not imported by the platform: locust (gevent) patches the standard library, so it runs in its own
process. Configuration comes from the environment that bench/load.py sets:

``MOTCUA_LOAD_OUT`` (JSONL file of every request: time, page, read/write, ms, ok),
``MOTCUA_LOAD_STAGES`` (JSON list of [end second, users]), ``MOTCUA_LOAD_CODES`` (JSON list of
existing dossier codes), ``MOTCUA_LOAD_TRACKED`` ([code, last four phone digits] pairs),
``MOTCUA_LOAD_NAMES`` (applicant names to search), ``MOTCUA_LOAD_SETUP`` (JSON: units and
components of the receipt), ``MOTCUA_LOAD_PASSWORD``.

Each user makes one request per second at most (``constant_throughput(1)``), so the users of a
stage set its rate. Classes and weights (per 20 users: 11 citizens, 8 officers, 1 board viewer):

* citizen — home, procedure list, a procedure page, tracking a known dossier (the form, then the
  lookup with the last four digits of its phone: a POST, attempt-limited);
* officer — desk home, desk search by name, a dossier's page, a counter receipt (the write,
  ``POST /api/v1/dossiers`` register-and-receive);
* board — the operations-centre overview.
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from locust import HttpUser, LoadTestShape, constant_throughput, events, task

OUT = os.environ.get("MOTCUA_LOAD_OUT", "load.jsonl")
STAGES: list[list[int]] = json.loads(os.environ.get("MOTCUA_LOAD_STAGES", "[[10, 2]]"))
CODES: list[str] = json.loads(os.environ.get("MOTCUA_LOAD_CODES", "[]")) or ["X-000000-0001"]
#: [code, last four phone digits] of existing dossiers, for the tracking lookup.
TRACKED: list[list[str]] = json.loads(os.environ.get("MOTCUA_LOAD_TRACKED", "[]"))
NAMES: list[str] = json.loads(os.environ.get("MOTCUA_LOAD_NAMES", "[]")) or ["nguyen"]
SETUP: dict[str, Any] = json.loads(os.environ.get("MOTCUA_LOAD_SETUP", "{}"))
OFFICER_CODES: list[str] = json.loads(os.environ.get("MOTCUA_LOAD_OFFICER_CODES", "[]"))
PASSWORD = os.environ.get("MOTCUA_LOAD_PASSWORD", "")
WRITES = {"receipt"}

_records: list[str] = []


@events.request.add_listener  # type: ignore[untyped-decorator]
def _record(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    exception: BaseException | None = None,
    **kwargs: Any,
) -> None:
    kind = "write" if name in WRITES else "read"
    error = "" if exception is None else str(exception)[:200]
    _records.append(json.dumps([time.time(), name, kind, response_time, exception is None, error]))
    if len(_records) >= 500:
        _flush()


def _flush() -> None:
    with open(OUT, "a", encoding="utf-8") as out:
        out.write("\n".join(_records) + "\n")
    _records.clear()


@events.quitting.add_listener  # type: ignore[untyped-decorator]
def _at_quit(environment: Any, **kwargs: Any) -> None:
    if _records:
        _flush()


class Citizen(HttpUser):
    weight = 11
    wait_time = constant_throughput(1)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="portal home")

    @task(2)
    def procedures(self) -> None:
        self.client.get("/thu-tuc/", name="procedure list")

    @task(2)
    def procedure(self) -> None:
        self.client.get("/thu-tuc/1.001193/", name="procedure page")

    @task(2)
    def track(self) -> None:
        # The QR code on Form 01 opens the form with the code filled in; the citizen adds the
        # last four digits of the phone and looks the dossier up (a POST, attempt-limited).
        code, digits = random.choice(TRACKED) if TRACKED else (random.choice(CODES), "")
        self.client.get(f"/tra-cuu/?ma={code}", name="tracking form")
        if digits:
            with self.client.post(
                "/tra-cuu/",
                data={
                    "ma": code,
                    "so": digits,
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken") or "",
                },
                name="tracking lookup",
                catch_response=True,
            ) as response:
                if response.status_code != 200 or code not in response.text:
                    response.failure(f"lookup of a known dossier: HTTP {response.status_code}")


class Officer(HttpUser):
    weight = 8
    wait_time = constant_throughput(1)

    def on_start(self) -> None:
        self.mine: list[str] = list(OFFICER_CODES)  # the unit's dossiers (an officer sees no other)
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken") or ""
        self.client.post(
            "/accounts/login/",
            data={"username": "motcua.caikhe", "password": PASSWORD,
                  "csrfmiddlewaretoken": token},
            name="login",
        )  # fmt: skip
        self.client.headers["X-CSRFToken"] = self.client.cookies.get("csrftoken") or ""

    @task(2)
    def desk(self) -> None:
        self.client.get("/desk/", name="desk home")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/desk/dossiers/?q={random.choice(NAMES)}", name="desk search")

    @task(2)
    def dossier(self) -> None:
        if self.mine:
            self.client.get(f"/desk/dossiers/{random.choice(self.mine)}/", name="dossier page")

    @task(1)
    def receive(self) -> None:
        body = {
            "procedure_code": "1.001193",
            "receiving_unit_id": SETUP.get("receiving_unit"),
            "competent_unit_id": SETUP.get("competent_unit"),
            "applicant_name": f"Nguyễn Văn Tải {random.randrange(10**9)}",
            "applicant_id_number": "092190000001",
            "applicant_phone": "0901234567",
            "components": [{"component_id": c, "pages": 1} for c in SETUP.get("components", [])],
            "receive": True,
        }
        response = self.client.post("/api/v1/dossiers", json=body, name="receipt")
        if response.status_code == 201:
            self.mine.append(response.json()["code"])


class Board(HttpUser):
    weight = 1
    wait_time = constant_throughput(1)

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login page")
        token = self.client.cookies.get("csrftoken") or ""
        self.client.post(
            "/accounts/login/",
            data={"username": "ioc.tinh", "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
        )

    @task
    def board(self) -> None:
        self.client.get("/ioc/", name="board")


class Stages(LoadTestShape):
    """[end second, users] stages; the run stops after the last."""

    def tick(self) -> tuple[int, float] | None:
        elapsed = self.get_run_time()  # type: ignore[no-untyped-call]
        for end, users in STAGES:
            if elapsed < end:
                return users, max(float(users), 1.0)
        return None
