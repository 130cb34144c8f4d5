"""Common machinery of every simulated national system (R-XCH-01).

Each simulator is a FastAPI app built by :func:`create_sim_app`, run as its own process on a
loopback port. The factory gives every simulator the same behaviour:

* **Caller authentication** — header ``X-Api-Key``; the key comes from
  ``MOTCUA_SIM_KEY_<NAME>`` (default ``dev-<name>-key``, a development key, never a secret).
  A wrong or missing key gets ``401 {"error_code": "401", "message": …}``.
* **Fault injection** — per request with header ``X-Sim-Fault``, or by configuration (env
  ``MOTCUA_SIM_FAULTS_<NAME>`` or ``POST /_sim/faults``). A fault spec is a comma-separated list:
  ``error`` (HTTP 503), ``error-rate=0.3`` (503 on a seeded-random 30 % of calls), ``timeout``
  or ``timeout=SECONDS`` (hold the request longer than a client timeout, then 504, nothing is
  processed), ``timeout-after`` (process, commit, then hold the reply: a lost response),
  ``latency=MS`` (delay, then process normally), ``malformed`` (200 with a broken JSON body,
  nothing processed). Held requests end early when the client disconnects or the server stops.
* **Persistent state** — one SQLite file per simulator (WAL) in ``MOTCUA_SIM_STATE_DIR``
  (default ``./var/simulators``), created on start.
* **Introspection** — ``GET /_sim/health`` (no auth), ``GET /_sim/stats``, ``GET/POST/DELETE
  /_sim/faults``.

Simulators import :mod:`contracts` only, never ``motcua``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_STATE_DIR = "./var/simulators"
DEFAULT_TIMEOUT_SECONDS = 30.0
MALFORMED_BODY = b'{"error_code": "0", "message": "th\xc3\xa0nh c'


def env_name(name: str) -> str:
    """``civil_status`` → ``CIVIL_STATUS`` for env-var suffixes."""
    return name.upper().replace("-", "_")


def api_key_for(name: str) -> str:
    """The caller key of simulator ``name`` (env ``MOTCUA_SIM_KEY_<NAME>``, else a dev key)."""
    return os.environ.get(f"MOTCUA_SIM_KEY_{env_name(name)}", f"dev-{name}-key")


def state_dir() -> Path:
    """Directory of the simulators' SQLite files (env ``MOTCUA_SIM_STATE_DIR``)."""
    return Path(os.environ.get("MOTCUA_SIM_STATE_DIR", DEFAULT_STATE_DIR))


# --------------------------------------------------------------------------- faults


class FaultSpecError(ValueError):
    """A fault spec that cannot be parsed."""


@dataclass(frozen=True)
class FaultSpec:
    """A parsed ``X-Sim-Fault`` value; see the module docstring for the vocabulary."""

    error: bool = False
    error_rate: float = 0.0
    timeout: float | None = None
    timeout_after: float | None = None
    latency_ms: int = 0
    malformed: bool = False

    @property
    def empty(self) -> bool:
        """True when the spec asks for nothing."""
        return self == FaultSpec()


def parse_fault_spec(text: str, *, default_timeout: float) -> FaultSpec:
    """Parse ``"error-rate=0.3,latency=200"`` style specs; raise :class:`FaultSpecError`."""
    values: dict[str, Any] = {}
    for raw in text.split(","):
        item = raw.strip().lower()
        if not item or item == "none":
            continue
        key, _, arg = item.partition("=")
        try:
            if key == "error" and not arg:
                values["error"] = True
            elif key == "error-rate":
                rate = float(arg)
                if not 0.0 <= rate <= 1.0:
                    raise FaultSpecError(item)
                values["error_rate"] = rate
            elif key == "timeout":
                values["timeout"] = float(arg) if arg else default_timeout
            elif key == "timeout-after":
                values["timeout_after"] = float(arg) if arg else default_timeout
            elif key == "latency":
                values["latency_ms"] = int(arg)
            elif key == "malformed" and not arg:
                values["malformed"] = True
            else:
                raise FaultSpecError(item)
        except ValueError as exc:
            msg = f"invalid fault spec item: {item!r}"
            raise FaultSpecError(msg) from exc
    return FaultSpec(**values)


class FaultConfig(BaseModel):
    """Body of ``POST /_sim/faults``: a spec applied to a fraction of (or the next N) calls."""

    fault: str = Field(description="fault spec, e.g. 'error', 'error-rate=0.3', 'timeout=2'")
    rate: float = Field(default=1.0, ge=0.0, le=1.0, description="share of calls affected")
    times: int | None = Field(default=None, ge=1, description="affect only the next N calls")
    path_prefix: str | None = Field(default=None, description="only calls under this path")


@dataclass
class _ActiveFault:
    spec: FaultSpec
    config: FaultConfig
    remaining: int | None


# --------------------------------------------------------------------------- state


class SimDB:
    """A single SQLite connection (WAL) shared by the worker threads under a re-entrant lock."""

    def __init__(self, path: Path, schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_IDEMPOTENCY_SCHEMA + schema)
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and a write transaction; a nested call is a savepoint of the outer."""
        with self._lock:
            depth = self._depth
            begin, commit, rollback = (
                ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                if depth == 0
                else (f"SAVEPOINT sp{depth}", f"RELEASE sp{depth}", f"ROLLBACK TO sp{depth}")
            )
            self._conn.execute(begin)
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute(rollback)
                if depth:
                    self._conn.execute(commit)
                raise
            finally:
                self._depth -= 1
            self._conn.execute(commit)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Run a read query."""
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


_IDEMPOTENCY_SCHEMA = """
CREATE TABLE IF NOT EXISTS sim_idempotency (
    key TEXT NOT NULL,
    scope TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (scope, key)
);
"""


def fingerprint(payload: object) -> str:
    """A stable hash of a JSON-able payload (to spot a reused key with another body)."""
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- context


@dataclass
class SimContext:
    """What a simulator's routes share: its name, key, state and RNG."""

    name: str
    api_key: str
    schema: str
    seed: int
    default_timeout: float
    public_prefixes: tuple[str, ...]
    invalid_code: str
    rng: random.Random = field(init=False)
    stats: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.time)
    fault: _ActiveFault | None = None
    _db: SimDB | None = None
    _fault_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def db(self) -> SimDB:
        """The SQLite state; available once the app has started."""
        if self._db is None:
            msg = f"simulator {self.name} has not started"
            raise RuntimeError(msg)
        return self._db

    def open(self) -> None:
        """Create the state dir and the SQLite file (on app start)."""
        if self._db is None:
            self._db = SimDB(state_dir() / f"{self.name}.sqlite3", self.schema)

    def close(self) -> None:
        """Close the SQLite file (on app stop)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def set_fault(self, config: FaultConfig | None) -> None:
        """Replace the configured fault (``None`` clears it)."""
        with self._fault_lock:
            if config is None:
                self.fault = None
                return
            spec = parse_fault_spec(config.fault, default_timeout=self.default_timeout)
            self.fault = _ActiveFault(spec=spec, config=config, remaining=config.times)

    def configured_fault(self, path: str) -> FaultSpec | None:
        """The configured fault for this call, if it is one of the affected ones."""
        with self._fault_lock:
            active = self.fault
            if active is None:
                return None
            prefix = active.config.path_prefix
            if prefix and not path.startswith(prefix):
                return None
            if self.rng.random() >= active.config.rate:
                return None
            if active.remaining is not None:
                active.remaining -= 1
                if active.remaining <= 0:
                    self.fault = None
            return active.spec

    def idempotent(
        self,
        key: str | None,
        scope: str,
        payload: object,
        run: Callable[[], tuple[int, dict[str, Any]]],
        *,
        mismatch_code: str = "-4",
    ) -> JSONResponse:
        """Run ``run`` once per (scope, key); replay the stored reply for a repeated key.

        The replay, the business effect and the stored reply share one transaction, so two
        concurrent deliveries with the same key cannot both take effect. A key reused with a
        different body is refused (``mismatch_code``, HTTP 422) and changes nothing.
        """
        if not key:
            with self.db.transaction():
                status, body = run()
            return JSONResponse(body, status_code=status)
        fp = fingerprint(payload)
        with self.db.transaction() as conn:
            row = conn.execute(
                "SELECT fingerprint, status, body FROM sim_idempotency WHERE scope=? AND key=?",
                (scope, key),
            ).fetchone()
            if row is not None:
                self.stats["idempotent_replays"] += 1
                if row["fingerprint"] != fp:
                    return JSONResponse(
                        {
                            "error_code": mismatch_code,
                            "message": "Idempotency-Key đã dùng cho một yêu cầu khác",
                        },
                        status_code=422,
                    )
                return JSONResponse(
                    json.loads(row["body"]),
                    status_code=int(row["status"]),
                    headers={"Idempotent-Replayed": "true"},
                )
            status, body = run()
            conn.execute(
                "INSERT INTO sim_idempotency VALUES (?, ?, ?, ?, ?, ?)",
                (key, scope, fp, status, json.dumps(body, ensure_ascii=False), time.time()),
            )
        return JSONResponse(body, status_code=status)


# --------------------------------------------------------------------------- middleware


def _json(status: int, code: str, message: str) -> tuple[int, bytes]:
    body = json.dumps({"error_code": code, "message": message}, ensure_ascii=False)
    return status, body.encode("utf-8")


async def _send_bytes(
    send: Send, status: int, body: bytes, content_type: bytes = b"application/json"
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _hold(receive: Receive, seconds: float) -> None:
    """Wait ``seconds``, ending early on client disconnect; cancellable at shutdown.

    Unread body chunks are drained while waiting; ``receive`` then blocks until the client goes.
    """

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(until_disconnect(), timeout=seconds)
    except TimeoutError:
        return


class SimMiddleware:
    """Authentication, statistics and fault injection around a simulator's routes."""

    def __init__(self, app: ASGIApp, ctx: SimContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        ctx = self.ctx
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if path == "/_sim/health":
            await self.app(scope, receive, send)
            return
        ctx.stats["requests"] += 1
        ctx.stats[f"path:{path}"] += 1
        public = any(path.startswith(p) for p in ctx.public_prefixes)
        if not public and not hmac.compare_digest(
            headers.get("x-api-key", "").encode(), ctx.api_key.encode()
        ):
            ctx.stats["auth_failures"] += 1
            await _send_bytes(send, *_json(401, "401", "Sai hoặc thiếu X-Api-Key"))
            return
        if path.startswith("/_sim/"):
            await self.app(scope, receive, send)
            return
        header_fault = headers.get("x-sim-fault")
        spec: FaultSpec | None
        if header_fault is not None:
            try:
                spec = parse_fault_spec(header_fault, default_timeout=ctx.default_timeout)
            except FaultSpecError as exc:
                await _send_bytes(send, *_json(400, "400", f"X-Sim-Fault không hợp lệ: {exc}"))
                return
        else:
            spec = ctx.configured_fault(path)
        if spec is None or spec.empty:
            await self.app(scope, receive, send)
            return
        await self._apply(spec, scope, receive, send)

    async def _apply(self, spec: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
        ctx = self.ctx
        if spec.latency_ms:
            ctx.stats["fault:latency"] += 1
            await asyncio.sleep(spec.latency_ms / 1000)
        if spec.error or (spec.error_rate and ctx.rng.random() < spec.error_rate):
            ctx.stats["fault:error"] += 1
            await _send_bytes(send, *_json(503, "503", "Hệ thống tạm ngừng phục vụ (mô phỏng)"))
            return
        if spec.timeout is not None:
            ctx.stats["fault:timeout"] += 1
            await _hold(receive, spec.timeout)
            await _send_bytes(send, *_json(504, "504", "Hết thời gian chờ (mô phỏng)"))
            return
        if spec.malformed:
            ctx.stats["fault:malformed"] += 1
            await _send_bytes(send, 200, MALFORMED_BODY)
            return
        if spec.timeout_after is not None:
            ctx.stats["fault:timeout_after"] += 1
            buffered: list[Message] = []

            async def capture(message: Message) -> None:
                buffered.append(message)

            await self.app(scope, receive, capture)
            await _hold(receive, spec.timeout_after)
            await _send_bytes(send, *_json(504, "504", "Hết thời gian chờ (mô phỏng)"))
            return
        await self.app(scope, receive, send)


# --------------------------------------------------------------------------- factory


def create_sim_app(
    name: str,
    *,
    title: str,
    schema: str = "",
    public_prefixes: tuple[str, ...] = (),
    invalid_code: str = "-1",
    on_start: Callable[[SimContext], None] | None = None,
) -> tuple[FastAPI, SimContext]:
    """Build a simulator app with auth, faults, state and the ``/_sim`` endpoints.

    Returns the app (to add routes to) and its :class:`SimContext`.
    """
    ctx = SimContext(
        name=name,
        api_key=api_key_for(name),
        schema=schema,
        seed=int(os.environ.get("MOTCUA_SIM_SEED", "20250701")),
        default_timeout=float(
            os.environ.get("MOTCUA_SIM_TIMEOUT_SECONDS", str(DEFAULT_TIMEOUT_SECONDS))
        ),
        public_prefixes=public_prefixes,
        invalid_code=invalid_code,
    )
    env_fault = os.environ.get(f"MOTCUA_SIM_FAULTS_{env_name(name)}")
    if env_fault:
        ctx.set_fault(FaultConfig(fault=env_fault))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        ctx.open()
        if on_start is not None:
            on_start(ctx)
        yield
        ctx.close()

    app = FastAPI(title=title, lifespan=lifespan)
    app.state.sim = ctx

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        ctx.stats["invalid_requests"] += 1
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        return JSONResponse(
            {"error_code": ctx.invalid_code, "message": "Dữ liệu không hợp lệ", "errors": errors},
            status_code=400,
        )

    @app.get("/_sim/health", tags=["_sim"])
    def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "simulator": name,
            "pid": os.getpid(),
            "uptime_s": round(time.time() - ctx.started),
        }

    @app.get("/_sim/stats", tags=["_sim"])
    def stats() -> dict[str, Any]:
        counts = dict(ctx.stats)
        return {
            "simulator": name,
            "requests": counts.pop("requests", 0),
            "faults": {k[6:]: v for k, v in counts.items() if k.startswith("fault:")},
            "paths": {k[5:]: v for k, v in counts.items() if k.startswith("path:")},
            "other": {k: v for k, v in counts.items() if ":" not in k},
        }

    @app.get("/_sim/faults", tags=["_sim"])
    def get_faults() -> dict[str, Any]:
        active = ctx.fault
        if active is None:
            return {"fault": None}
        return {"fault": active.config.model_dump(), "remaining": active.remaining}

    @app.post("/_sim/faults", tags=["_sim"])
    def post_faults(config: FaultConfig) -> JSONResponse:
        try:
            ctx.set_fault(config)
        except FaultSpecError as exc:
            return JSONResponse({"error_code": "400", "message": str(exc)}, status_code=400)
        return JSONResponse({"error_code": "0", "message": "Đã đặt lỗi mô phỏng"})

    @app.delete("/_sim/faults", tags=["_sim"])
    def delete_faults() -> dict[str, str]:
        ctx.set_fault(None)
        return {"error_code": "0", "message": "Đã xóa lỗi mô phỏng"}

    app.add_middleware(SimMiddleware, ctx=ctx)
    return app, ctx
