"""A province-scale history for the insights benchmarks, on PostgreSQL, by COPY.

    motcua bench seed --dossiers N [--years Y] [--seed S]

All 103 communes of the demo province (Cần Thơ) and its departments; working days of the real
calendar (no receipts on holidays, Tết included), seasonal peaks (quarter ends, the weeks before
Tết), yearly growth, a channel mix moving online, boundary-free receipts at other communes'
counters, supplements after appraisal (the clock restarts), payments, apologies (the original
deadline kept), late, withdrawn, stopped and refused dossiers, and open ones at the end. Each
dossier gets its event trail and one document component with its digitization code.

The indicator facts and rollups are computed by the same functions the incremental path uses
(``insights.rollups.build_fact`` and ``insights.formulas.contributions``) and COPied too, so the
board reads a consistent state (``motcua rollups check`` verifies it against a rebuild).

The database is kept for ``motcua bench board``: ``DATABASE_URL`` if set, else
``motcua_board`` on the local server (created if missing; its dossiers are replaced).
"""

from __future__ import annotations

import argparse
import io
import os
import queue
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bench.common import CHILD_FLAG, PG_BASE_URL, PROVINCE, ROOT, is_child, machine, say
from motcua.insights.formulas import FACT_FLAGS  # pure: no Django needed

DB_NAME = "motcua_board"
CHUNK = 20_000
OFFSET_HOURS = 7  # Asia/Ho_Chi_Minh


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="motcua bench seed", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="dossiers to generate")
    parser.add_argument("--years", type=int, default=5, help="years of history up to today")
    parser.add_argument("--seed", type=int, default=20260801, help="random seed of the data")
    return parser.parse_args(argv)


def target_url() -> str:
    return os.environ.get("DATABASE_URL") or f"{PG_BASE_URL.rstrip('/')}/{DB_NAME}"


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"# database {name} created", file=sys.stderr, flush=True)


def spawn(module: str, argv: list[str], url: str) -> int:
    """Run ``module`` again in a child with ``DATABASE_URL`` (Django reads the database settings
    once, at start-up)."""
    env = dict(os.environ)
    env.update({CHILD_FLAG: "1", "DATABASE_URL": url, "MOTCUA_DEBUG": "0"})
    env.setdefault("MOTCUA_LOG_LEVEL", "WARNING")
    child = subprocess.Popen([sys.executable, "-m", module, *argv], env=env, cwd=ROOT)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        child.wait()
        raise


def main(argv: list[str]) -> int:
    options = parse(argv)
    if not is_child():
        url = target_url()
        ensure_database(url)
        return spawn("bench.seed", argv, url)
    return run(options)


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Version:
    pk: str
    code: str
    field: str
    limit: Any  # calc.TimeLimit
    limit_key: tuple[str, str, bool]
    boundary_free: bool
    online: bool  # offered online (counts for "online services with dossiers")
    fileable_online: bool  # not marked "not online": part of the channel mix


@dataclass
class Competent:
    pk: str
    commune: int | None
    centre: str  # its own counter
    centre_eid: str
    centre_commune: int | None
    versions: list[Version]
    weight: float


Counter = tuple[str, str, int | None]  # id, e-ID code, commune


def reference(rng: random.Random) -> tuple[list[Competent], list[Counter], list[Counter]]:
    """Competent units with the procedures they implement, the communes' counters and the
    provincial centre with its branches."""
    from django.db.models import F

    from motcua.agencies.models import Unit, UnitKind
    from motcua.catalog.models import OnlineLevel, ProcedureVersion, TimeUnit
    from motcua.dossiers.actions.core import time_limit

    units = {u.pk: u for u in Unit.objects.filter(province_id=PROVINCE)}
    centres = {u.commune_id: u for u in units.values() if u.kind == UnitKind.COMMUNE_PSC}
    provincial = [
        u for u in units.values() if u.kind in (UnitKind.PROVINCIAL_PSC, UnitKind.PSC_BRANCH)
    ]
    commune_counters = [(str(u.pk), u.eid_code, u.commune_id) for u in centres.values()]
    provincial_counters = [(str(u.pk), u.eid_code, u.commune_id) for u in provincial]
    versions: dict[Any, list[Version]] = defaultdict(list)
    current = (
        ProcedureVersion.objects.filter(procedure__province_id=PROVINCE, procedure__current=F("pk"))
        .exclude(time_limit_unit=TimeUnit.UNKNOWN)
        .select_related("procedure")
        .prefetch_related("implementing_units")
    )
    for v in current:
        limit = time_limit(v)
        if limit is None:
            continue
        item = Version(
            str(v.pk),
            v.procedure.code_national,
            str(v.field_id or ""),
            limit,
            (str(limit.value), str(limit.unit), limit.cutoff_1500),
            v.boundary_free,
            v.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
            # Most of the bundled catalogue does not say (unknown): filed online like the rest.
            v.online_level != OnlineLevel.NONE,
        )
        for unit in v.implementing_units.all():
            versions[unit.pk].append(item)
    competent: list[Competent] = []
    for pk, items in versions.items():
        unit = units[pk]
        if unit.kind == UnitKind.COMMUNE_PC:
            centre = centres[unit.commune_id]
            weight = rng.lognormvariate(0, 0.6)  # communes differ in size
        elif unit.kind == UnitKind.COMMUNE_POLICE:
            centre = centres[unit.commune_id]
            weight = 0.15 * rng.lognormvariate(0, 0.4)
        else:
            centre = next(u for u in provincial if u.kind == UnitKind.PROVINCIAL_PSC)
            weight = 3.0 * rng.lognormvariate(0, 0.5)
        competent.append(
            Competent(
                str(pk),
                unit.commune_id,
                str(centre.pk),
                centre.eid_code,
                centre.commune_id,
                items,
                weight,
            )
        )
    return competent, commune_counters, provincial_counters


def working_days(start: date, end: date, cal: Any) -> tuple[list[date], list[float]]:
    """Working days with their seasonal weights: quarter ends and the weeks before Tết are
    busier, the days after Tết and midsummer quieter, each year a little busier than the last."""
    days: list[date] = []
    d = start
    while d <= end:
        if cal.is_working_day(d):
            days.append(d)
        d += timedelta(days=1)
    tet_starts: set[date] = set()
    for year in range(start.year, end.year + 1):
        run: list[date] = []
        d = date(year, 1, 10)
        best: list[date] = []
        while d <= date(year, 3, 1):
            if d.weekday() < 5 and not cal.is_working_day(d):
                run.append(d)
                if len(run) > len(best):
                    best = list(run)
            elif d.weekday() < 5:
                run = []
            d += timedelta(days=1)
        if len(best) >= 3:
            tet_starts.add(best[0])
    weights = []
    for day in days:
        w = 1.0 + 0.1 * (day.year - start.year)
        month_end = day.month in (3, 6, 9, 12) and day.day >= 20
        w *= 1.35 if month_end else 1.0
        w *= 0.9 if day.month in (7, 8) else 1.0
        for tet in tet_starts:
            gap = (tet - day).days
            if 0 < gap <= 21:
                w *= 1.6
            elif -10 <= gap <= 0:
                w *= 0.75
        weights.append(w)
    return days, weights


# Receipts on the hour (the deadline of each hour and limit is computed once).
SLOTS = [(7, 0), (8, 0), (9, 0), (10, 0), (11, 0), (13, 30), (14, 0), (15, 0), (16, 0)]
SLOT_WEIGHTS = [3 if h < 10 else 2 if h < 12 else 1.5 if h < 16 else 1 for h, _ in SLOTS]


# --------------------------------------------------------------------------- applicants

# Vietnamese names with rough frequencies (surnames: the well-known shares, Nguyễn ~38 %), so
# that the desk search meets what a real province holds: many matches for "Nguyễn Văn", few for
# a full name, short syllables ("Lê", "An") that give a trigram index nothing to use.
SURNAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 4),
    ("Hoàng", 1.5),
    ("Phan", 4.5),
    ("Võ", 3.5),
    ("Vũ", 0.5),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Trương", 1),
    ("Lâm", 0.8),
    ("Đinh", 0.6),
    ("Mai", 0.5),
    ("Tô", 0.4),
    ("Châu", 0.4),
    ("Thạch", 0.5),
    ("Danh", 0.4),
    ("Kim", 0.3),
)
MIDDLE_M = (
    ("Văn", 40),
    ("Hữu", 8),
    ("Minh", 10),
    ("Quốc", 7),
    ("Thanh", 8),
    ("Hoàng", 5),
    ("Công", 5),
    ("Đức", 6),
    ("Tấn", 5),
    ("Phước", 3),
    ("Trung", 3),
)
MIDDLE_F = (
    ("Thị", 50),
    ("Ngọc", 12),
    ("Thanh", 6),
    ("Thu", 5),
    ("Kim", 6),
    ("Mỹ", 5),
    ("Bích", 3),
    ("Phương", 4),
    ("Hồng", 5),
    ("Thùy", 4),
)
GIVEN_M = (
    "An",
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khang",
    "Khoa",
    "Lâm",
    "Lộc",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Phát",
    "Phong",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Tâm",
    "Thắng",
    "Thành",
    "Thiện",
    "Thịnh",
    "Toàn",
    "Trí",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
    "Khải",
)
GIVEN_F = (
    "An",
    "Anh",
    "Bích",
    "Châu",
    "Chi",
    "Diễm",
    "Dung",
    "Duyên",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thư",
    "Thủy",
    "Trang",
    "Trâm",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Xuân",
    "Yến",
)
ID_PROVINCES = ("092",) * 8 + ("089", "086", "093", "094", "079", "001")


class Applicants:
    """Names with diacritics and their folded form, ID numbers of 12 digits (CCCD: province of
    birth, century-and-sex digit, year of birth, six digits), from a random stream of their own
    (the rest of the seed draws exactly what it drew before)."""

    def __init__(self, seed: int) -> None:
        from motcua.core.text import fold

        self.rng = random.Random(seed * 7 + 1)
        self.fold = fold
        self.folded: dict[str, str] = {}
        self.surnames = [n for n, _ in SURNAMES], list(_cumulative([w for _, w in SURNAMES]))
        self.middle = {
            sex: ([n for n, _ in pool], list(_cumulative([w for _, w in pool])))
            for sex, pool in (("m", MIDDLE_M), ("f", MIDDLE_F))
        }

    def draw(self) -> tuple[str, str, str]:
        rng = self.rng
        sex = "m" if rng.random() < 0.5 else "f"
        surname = rng.choices(self.surnames[0], cum_weights=self.surnames[1])[0]
        names, weights = self.middle[sex]
        parts = [surname, rng.choices(names, cum_weights=weights)[0]]
        given = GIVEN_M if sex == "m" else GIVEN_F
        if rng.random() < 0.3:  # a second middle name
            parts.append(given[rng.randrange(len(given))])
        parts.append(given[rng.randrange(len(given))])
        name = " ".join(parts)
        folded = self.folded.get(name)
        if folded is None:
            folded = self.fold(name)
            self.folded[name] = folded
        year = rng.randrange(1945, 2008)
        century_sex = (0 if year < 2000 else 2) + (0 if sex == "m" else 1)
        number = (
            f"{ID_PROVINCES[rng.randrange(len(ID_PROVINCES))]}{century_sex}{year % 100:02d}"
            f"{rng.randrange(1_000_000):06d}"
        )
        return name, folded, number


# --------------------------------------------------------------------------- generation


class Writer(threading.Thread):
    """COPY chunks in the background while the next chunk is generated (PostgreSQL works in its
    own process, so the two overlap on the machine's two cores)."""

    TABLES = {
        "dossiers": "dossiers_dossier (id, created_at, updated_at, code, external_codes, "
        "procedure_version_id, procedure_code, state, version, channel, applicant_kind, "
        "applicant_name, applicant_name_folded, applicant_id_number, applicant_phone, "
        "applicant_email, applicant_address, representative_name, representative_id_number, "
        "summary, receiving_unit_id, competent_unit_id, return_unit_id, result_delivery, "
        "submitted_at, received_at, received_on, due_at_original, due_at_current, "
        "clock_paused_at, result_at, returned_at, result_kind, supplements_after_appraisal, "
        "extensions)",
        "events": "dossiers_dossierevent (dossier_id, seq, kind, from_state, to_state, at, "
        "actor_name, actor_title, unit_id, reason, legal_basis, form, step_deadline, payload)",
        "components": "dossiers_dossiercomponent (dossier_id, name, requirement, quantity, "
        "provided, pages, digitization, file, source)",
        # The fact's booleans come from the indicator registry (formulas.FACT_FLAGS).
        "facts": "insights_dossierfact (dossier_id, competent_unit_id, receiving_unit_id, "
        "received_on, month, channel, field_id, procedure_code, outcome, due_on, open_until, "
        + ", ".join(FACT_FLAGS)
        + ")",
    }

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.jobs: queue.Queue[dict[str, str] | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.rows = 0

    def run(self) -> None:
        import psycopg

        try:
            with psycopg.connect(self.url) as conn:
                # A seed, not a transaction of the platform: skip the per-row FK triggers.
                conn.execute("SET session_replication_role = replica")
                while True:
                    job = self.jobs.get()
                    if job is None:
                        return
                    with conn.cursor() as cursor:
                        for key, data in job.items():
                            with cursor.copy(f"COPY {self.TABLES[key]} FROM STDIN") as copy:
                                copy.write(data)
                    conn.commit()
        except BaseException as error:  # reported by the generator
            self.error = error
            while True:  # drain so the producer never blocks
                if self.jobs.get() is None:
                    return


def _ts(dt: datetime) -> str:
    return dt.isoformat(sep=" ")


def progress_bar(done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed else 0.0
    left = (total - done) / rate if rate else 0.0
    width = 30
    filled = int(width * done / total) if total else width
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done / max(total, 1):5.1f}% "
        f"{done:,}/{total:,} dossiers {rate:,.0f}/s ETA {left:,.0f}s "
    )
    sys.stderr.flush()


def generate(options: argparse.Namespace, url: str) -> dict[str, int]:  # noqa: PLR0912, PLR0915
    from motcua.core.clock import now, to_local
    from motcua.dossiers.codes import format_unit_code
    from motcua.insights.formulas import Contributions, contributions
    from motcua.insights.rollups import build_fact
    from motcua.worktime import calc
    from motcua.worktime.calendars import calendar_for

    rng = random.Random(options.seed)
    cal = calendar_for(PROVINCE)
    moment = now()
    today = to_local(moment).date()
    start = date(today.year - options.years + 1, 1, 1)
    competent, commune_counters, provincial_counters = reference(rng)
    days, day_weights = working_days(start, today, cal)
    cum_days = list(_cumulative(day_weights))
    cum_units = list(_cumulative([c.weight for c in competent]))
    cum_slots = list(_cumulative(SLOT_WEIGHTS))
    due_cache: dict[tuple[datetime, tuple[str, str, bool]], tuple[datetime, str]] = {}
    sequences: dict[tuple[str, date], int] = defaultdict(int)
    totals = Contributions()
    say(
        f"# generating {options.dossiers:,} dossiers over {len(days):,} working days "
        f"({start} – {today}); {len(competent)} competent units, "
        f"{len(commune_counters) + len(provincial_counters)} counters"
    )

    prefixes: dict[str, str] = {}

    def prefix(eid: str) -> str:
        """The normalized e-ID part of the code (R-ID-09), validated once per counter."""
        found = prefixes.get(eid)
        if found is None:
            found = format_unit_code(eid, today, 1).rsplit("-", 2)[0]
            prefixes[eid] = found
        return found

    def due(at: datetime, version: Version) -> tuple[datetime, str]:
        key = (at, version.limit_key)
        found = due_cache.get(key)
        if found is None:
            d = calc.due_at(at, version.limit, cal)
            found = (d, _ts(d))
            due_cache[key] = found
        return found

    applicants = Applicants(options.seed)
    writer = Writer(url)
    writer.start()
    started = time.perf_counter()
    stats: dict[str, int] = defaultdict(int)
    done = 0
    last_draw = 0.0
    while done < options.dossiers:
        n = min(CHUNK, options.dossiers - done)
        picked_days = rng.choices(days, cum_weights=cum_days, k=n)
        picked_units = rng.choices(competent, cum_weights=cum_units, k=n)
        picked_slots = rng.choices(SLOTS, cum_weights=cum_slots, k=n)
        out = {k: io.StringIO() for k in Writer.TABLES}
        for i in range(n):
            day, unit, (hh, mm) = picked_days[i], picked_units[i], picked_slots[i]
            version = unit.versions[rng.randrange(len(unit.versions))]
            received_at = datetime(day.year, day.month, day.day, hh, mm, tzinfo=calc.TZ)
            year_index = day.year - start.year
            # Where it was filed (R-ORG-02): mostly at home, some boundary-free elsewhere.
            counter_pk, counter_eid, counter_commune = (
                unit.centre,
                unit.centre_eid,
                unit.centre_commune,
            )
            r = rng.random()
            if version.boundary_free and unit.commune is not None and r < 0.14:
                pool = commune_counters if r < 0.10 else provincial_counters
                counter_pk, counter_eid, counter_commune = pool[rng.randrange(len(pool))]
            p_online = min(0.72, 0.35 + 0.07 * year_index) if version.fileable_online else 0.02
            c = rng.random()
            channel = "online" if c < p_online else "postal" if c < p_online + 0.02 else "counter"
            delivery = "online" if channel == "online" and rng.random() < 0.7 else "counter"
            pk = f"{rng.getrandbits(128):032x}"
            code = ""
            due_original, due_text = due(received_at, version)
            events: list[tuple[str, str, datetime, str]] = []  # kind/to, from, at, unit
            submitted_at = received_at - timedelta(minutes=rng.randrange(1, 90))
            events.append(("submitted", "", submitted_at, counter_pk))
            fate = rng.random()
            state = "returned"
            result_at: datetime | None = None
            ended_at: datetime | None = None
            paused_at: datetime | None = None
            supplements = extensions = 0
            due_current_text = due_text
            fee_bearing = False
            if fate < 0.01:  # refused at the counter (R-RCV-07): never received, never counted
                state = "refused_at_receipt"
                events.append(("refused_at_receipt", "submitted", received_at, counter_pk))
                received_on = None
            else:
                received_on = day
                seq_key = (counter_pk, day)
                sequences[seq_key] += 1
                code = f"{prefix(counter_eid)}-{day:%y%m%d}-{sequences[seq_key]:04d}"
                events.append(("received", "submitted", received_at, counter_pk))
                at = received_at + timedelta(minutes=rng.randrange(5, 120))
                events.append(("in_appraisal", "received", at, unit.pk))
                span = max(due_original - received_at, timedelta(hours=2))
                if fate < 0.035:
                    state = "withdrawn"
                    ended_at = received_at + span * rng.random()
                    events.append(("withdrawn", "in_appraisal", ended_at, counter_pk))
                elif fate < 0.045:
                    state = "stopped"
                    ended_at = received_at + span * (0.5 + rng.random())
                    events.append(("stopped", "in_appraisal", ended_at, unit.pk))
                else:
                    if fate < 0.11:  # supplement after appraisal: the clock restarts (R-SUP-02)
                        paused_at = at + timedelta(hours=rng.randrange(1, 20))
                        resumed_day = paused_at.date() + timedelta(days=rng.randrange(1, 12))
                        resumed = datetime(
                            resumed_day.year,
                            resumed_day.month,
                            resumed_day.day,
                            9,
                            0,
                            tzinfo=calc.TZ,
                        )
                        events.append(("awaiting_supplement", "in_appraisal", paused_at, unit.pk))
                        if resumed < moment:
                            events.append(
                                ("in_appraisal", "awaiting_supplement", resumed, counter_pk)
                            )
                            due_original, due_text = due(
                                calc.normalize_receipt(resumed, cal), version
                            )
                            due_current_text = due_text
                            span = max(due_original - resumed, timedelta(hours=2))
                            received_base = resumed
                            paused_at = None
                        else:
                            state = "awaiting_supplement"
                            received_base = resumed
                        supplements = 1
                    else:
                        received_base = at
                    if state != "awaiting_supplement":
                        if rng.random() < 0.10:  # a financial obligation (R-PAY-02)
                            fee_bearing = True
                            pay_at = received_base + timedelta(minutes=rng.randrange(10, 300))
                            events.append(("awaiting_payment", "in_appraisal", pay_at, unit.pk))
                            events.append(
                                (
                                    "in_appraisal",
                                    "awaiting_payment",
                                    pay_at + timedelta(minutes=rng.randrange(5, 600)),
                                    unit.pk,
                                )
                            )
                        late = rng.random() < 0.06 + (0.04 if year_index == 0 else 0)
                        if late:
                            result_at = due_original + timedelta(
                                days=rng.randrange(1, 15), minutes=rng.randrange(0, 300)
                            )
                            if rng.random() < 0.4:  # an apology with a new date (R-LATE-07)
                                extensions = 1
                                due_current_text = _ts(due_original + timedelta(days=15))
                        else:
                            result_at = received_base + span * (0.2 + 0.8 * rng.random())
                        if rng.random() < 0.002:  # stuck: open long past its deadline
                            result_at = moment + timedelta(days=365)
                        if result_at >= moment:
                            state = "in_appraisal"
                            result_at = None
                        else:
                            events.append(
                                (
                                    "awaiting_signature",
                                    "in_appraisal",
                                    result_at - timedelta(minutes=30),
                                    unit.pk,
                                )
                            )
                            events.append(
                                ("result_ready", "awaiting_signature", result_at, unit.pk)
                            )
                            returned = result_at + timedelta(hours=rng.randrange(1, 72))
                            if returned < moment:
                                events.append(("returned", "result_ready", returned, counter_pk))
                            else:
                                state = "result_ready"
            digit = rng.random()
            p_digit = min(0.92, 0.5 + 0.08 * year_index)
            p_reuse = min(0.65, 0.1 + 0.1 * year_index)
            digitization = (
                (3 if rng.random() < 0.3 else 2) if digit < p_reuse else 1 if digit < p_digit else 0
            )
            # The rows.
            ts = _ts(received_at)
            refused_kind = "refused" if state == "returned" and rng.random() < 0.01 else "approved"
            applicant, applicant_folded, id_number = applicants.draw()
            result_kind = refused_kind if result_at is not None else ""
            out["dossiers"].write(
                "\t".join(
                    [
                        pk,
                        ts,
                        ts,
                        code if received_on else "\\N",
                        "[]",
                        version.pk,
                        version.code,
                        state,
                        str(len(events)),
                        channel,
                        "person",
                        applicant,
                        applicant_folded,
                        id_number,
                        "0901234567",
                        "",
                        "",
                        "",
                        "",
                        "Hồ sơ mẫu (benchmark)",
                        counter_pk,
                        unit.pk,
                        counter_pk,
                        delivery,
                        _ts(submitted_at),
                        ts if received_on else "\\N",
                        received_on.isoformat() if received_on else "\\N",
                        due_text if received_on else "\\N",
                        due_current_text if received_on else "\\N",
                        _ts(paused_at) if paused_at else "\\N",
                        _ts(result_at) if result_at else "\\N",
                        _ts(events[-1][2]) if state == "returned" else "\\N",
                        result_kind,
                        str(supplements),
                        str(extensions),
                    ]
                )
                + "\n"
            )
            for seq, (to_state, from_state, at_time, unit_id) in enumerate(events, 1):
                out["events"].write(
                    f"{pk}\t{seq}\tdossier:state:{to_state}\t{from_state}\t{to_state}\t"
                    f"{_ts(at_time)}\tBenchmark\t\t{unit_id}\t\t\t\t\\N\t{{}}\n"
                )
            out["components"].write(
                f"{pk}\tĐơn đề nghị\trequired\t1\tt\t1\t{digitization}\t\tpaper\n"
            )
            stats[state] += 1
            stats["events"] += len(events)
            fact = build_fact(
                state=state,
                received_on=received_on,
                competent=unit.pk,
                receiving=counter_pk,
                competent_commune=unit.commune,
                receiving_commune=counter_commune,
                channel=channel,
                field=version.field,
                procedure=version.code,
                online_procedure=version.online,
                due_at_original=due_original if received_on else None,
                result_at=result_at,
                clock_paused_at=paused_at,
                ended_at=ended_at,
                result_delivery=delivery,
                digitized=digitization > 0,
                reused=digitization >= 2,
                fee_bearing=fee_bearing,
            )
            if fact is not None:
                totals.add(contributions(fact))
                out["facts"].write(
                    "\t".join(
                        [
                            pk,
                            unit.pk,
                            counter_pk,
                            day.isoformat(),
                            fact.month.isoformat(),
                            channel,
                            fact.field,
                            fact.procedure,
                            fact.outcome.value,
                            to_local(due_original).date().isoformat(),
                            fact.until.isoformat() if fact.until else "\\N",
                            *("t" if getattr(fact, flag) else "f" for flag in FACT_FLAGS),
                        ]
                    )
                    + "\n"
                )
        if writer.error:
            raise RuntimeError("COPY failed") from writer.error
        writer.jobs.put({k: v.getvalue() for k, v in out.items()})
        done += n
        if time.perf_counter() - last_draw > 0.5 or done == options.dossiers:
            progress_bar(done, options.dossiers, started)
            last_draw = time.perf_counter()
    writer.jobs.put(None)
    writer.join()
    sys.stderr.write("\n")
    if writer.error:
        raise RuntimeError("COPY failed") from writer.error
    _copy_rollups(url, totals, sequences)
    stats["seconds"] = round(time.perf_counter() - started)
    stats["deadline_computations"] = len(due_cache)
    return dict(stats)


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


def _copy_rollups(url: str, totals: Any, sequences: dict[tuple[str, date], int]) -> None:
    import psycopg

    totals = totals.nonzero()
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy("COPY insights_rollup (unit_id, month, metric, value) FROM STDIN") as cp:
            for (unit, month, metric), value in totals.rollup.items():
                cp.write(f"{unit}\t{month}\t{metric}\t{value}\n")
        with cursor.copy(
            "COPY insights_openrollup (unit_id, month, open_until, value) FROM STDIN"
        ) as cp:
            for (unit, month, until), value in totals.open.items():
                cp.write(f"{unit}\t{month}\t{until}\t{value}\n")
        with cursor.copy(
            "COPY insights_flowrollup (receiving_unit_id, competent_unit_id, month, value) "
            "FROM STDIN"
        ) as cp:
            for (rcv, cmp, month), value in totals.flow.items():
                cp.write(f"{rcv}\t{cmp}\t{month}\t{value}\n")
        with cursor.copy(
            "COPY insights_flowquarterrollup (receiving_unit_id, competent_unit_id, quarter, "
            "value) FROM STDIN"
        ) as cp:
            for (rcv, cmp, quarter), value in totals.flow_q.items():
                cp.write(f"{rcv}\t{cmp}\t{quarter}\t{value}\n")
        with cursor.copy(
            "COPY insights_procedurerollup (unit_id, month, procedure_code, value) FROM STDIN"
        ) as cp:
            for (unit, month, code), value in totals.procs.items():
                cp.write(f"{unit}\t{month}\t{code}\t{value}\n")
        with cursor.copy("COPY dossiers_dossiersequence (unit_id, day, last) FROM STDIN") as cp:
            for (unit, day), last in sequences.items():
                cp.write(f"{unit}\t{day}\t{last}\n")
        conn.commit()
    say(
        f"# rollups: {len(totals.rollup):,} counters, {len(totals.open):,} open-ledger rows, "
        f"{len(totals.flow):,} flows"
    )


LOADED = (
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_dossiercomponent",
    "insights_dossierfact",
)


def drop_indexes(url: str) -> list[str]:
    """Secondary indexes of the loaded tables are dropped for the COPY and rebuilt after it
    (constraint-backed ones stay): a bulk load is faster than index maintenance per row."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(LOADED)],
        ).fetchall()
        for name, _ in rows:
            conn.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in rows]


def create_indexes(url: str, definitions: list[str]) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            conn.execute(definition)


def clear(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE insights_dossierfact, insights_rollup, insights_openrollup, "
            "insights_flowrollup, insights_flowquarterrollup, insights_procedurerollup, "
            "insights_paidprocedurerollup, insights_report, "
            "dossiers_dossierevent, "
            "dossiers_dossiercomponent, dossiers_consultation, dossiers_dossiersequence, "
            "dossiers_dossier CASCADE"
        )


def run(options: argparse.Namespace) -> int:
    from django.db import connection

    from bench.common import migrate_and_seed

    url = target_url()
    say(f"# machine: {machine()}; PostgreSQL {connection.cursor().connection.info.server_version}")
    migrate_and_seed(personas=True)
    connection.close()
    clear(url)
    indexes = drop_indexes(url)
    try:
        stats = generate(options, url)
    finally:
        started = time.perf_counter()
        create_indexes(url, indexes)
        say(f"# {len(indexes)} secondary indexes rebuilt in {time.perf_counter() - started:.1f} s")
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in (
            "dossiers_dossier",
            "dossiers_dossierevent",
            "dossiers_dossiercomponent",
            "insights_dossierfact",
            "insights_rollup",
            "insights_openrollup",
            "insights_flowrollup",  # index-only scans need the visibility map
            "insights_flowquarterrollup",
        ):
            conn.execute(f"VACUUM ANALYZE {table}")
        # And the small tables the seed wrote through Django (units, catalogue, users): without
        # their statistics (autovacuum may not have run yet) the planner takes the unit tree for
        # 26 rows and joins a province-wide scope in a nested loop (seconds instead of ms).
        conn.execute("ANALYZE")
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    say(
        f"# vacuum analyze {time.perf_counter() - started:.1f} s; database size "
        f"{(size[0] if size else 0) / 2**30:.2f} GiB"
    )
    states = ", ".join(
        f"{k}={v:,}"
        for k, v in sorted(stats.items())
        if k not in ("seconds", "events", "deadline_computations")
    )
    say(f"# states: {states}")
    rate = options.dossiers / max(stats["seconds"], 1)
    say(
        f"seeded dossiers={options.dossiers} events={stats['events']} seconds={stats['seconds']} "
        f"per_s={rate:.0f}"
    )
    return 0


def entry() -> None:
    """``python -m bench.<name>``: the child process (and a way to run before registration)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


if __name__ == "__main__":
    entry()
    sys.exit(main(sys.argv[1:]))
