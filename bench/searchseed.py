"""The search benchmark's fast seed: dossier rows generated inside PostgreSQL (issue #12 part 9).

``motcua bench seed`` (bench/seed.py) builds each dossier in Python with its event trail, its
component and its indicator fact, and COPies them: ~2,100 dossiers/s on the shared machine, so
10 M dossiers took over an hour before the indexes. The desk search and the tracking lookup read
only the dossier row (code, folded name, ID number, the three unit columns, the deadline, the
procedure version for the page's ``select_related``), so this seed writes only that, with one
``INSERT … SELECT`` over ``generate_series``:

- the demo province's units and procedures as bench/seed.py draws them (``reference``: the
  competent units with the procedures they implement and their weights, each filed at its own
  counter — the commune's centre or the provincial centre);
- codes in the format of R-ID-09 (``<e-ID of the counter>-<yymmdd>-<seq>``), unique by
  construction: row ``g`` is received on working day ``g mod D`` with sequence ``g div D + 1``
  (so ``N ≤ 9,999 × D``; the days are uniform, not seasonal);
- names from the same weighted syllable lists (bench/seed.py ``SURNAMES`` …: Nguyễn ~38 %, the
  two-letter syllables), their folded form from the same lists folded by ``core.text.fold``
  (checked on a sample after the insert), 12-digit CCCD numbers (province of birth,
  century-and-sex digit, year of birth, six random digits: a few numbers repeat, as one citizen
  files several dossiers);
- a deadline 1–40 days after the receipt; dossiers whose deadline is still ahead are open
  (``in_appraisal``), the others returned.

Left out (what the other benches need and the search does not read): events, document
components, indicator facts and rollups, refused/withdrawn/stopped/supplement states, the
channel mix, seasonal days and the counter's daily sequence table. Use ``motcua bench seed``
for the board, the re-dating and the load benches.
"""

from __future__ import annotations

import random
import time
from collections import Counter as Tally
from datetime import date
from typing import Any

from bench.common import PROVINCE, say

COLUMNS = (
    "id, created_at, updated_at, code, external_codes, procedure_version_id, procedure_code, "
    "state, version, channel, applicant_kind, applicant_name, applicant_name_folded, "
    "applicant_id_number, applicant_phone, applicant_email, applicant_address, "
    "representative_name, representative_id_number, summary, receiving_unit_id, "
    "competent_unit_id, return_unit_id, result_delivery, submitted_at, received_at, received_on, "
    "due_at_original, due_at_current, clock_paused_at, result_at, returned_at, result_kind, "
    "supplements_after_appraisal, extensions"
)

# One SELECT draws every random number of a row once (x), so a name and its folded form use the
# same index; setseed() in the same session makes the rows the same for the same --seed.
_INSERT = f"""
INSERT INTO dossiers_dossier ({COLUMNS})
SELECT md5(%(seed)s || ':' || x.g)::uuid, t.received, t.received,
       c.prefix || '-' || to_char(d.day, 'YYMMDD') || '-'
         || lpad((x.g / %(days)s + 1)::text, 4, '0'),
       '[]', c.version_id, c.procedure_code,
       CASE WHEN t.due > now() THEN 'in_appraisal' ELSE 'returned' END, 1,
       CASE WHEN x.online THEN 'online' ELSE 'counter' END, 'person',
       (%(sur)s::text[])[x.si] || ' ' || n.middle || n.second || ' ' || n.given,
       (%(sur_f)s::text[])[x.si] || ' ' || n.middle_f || n.second_f || ' ' || n.given_f,
       (%(idp)s::text[])[x.pi] || (CASE WHEN x.year < 2000 THEN 0 ELSE 2 END
                                  + CASE WHEN x.male THEN 0 ELSE 1 END)::text
         || lpad((x.year %% 100)::text, 2, '0') || lpad(x.serial::text, 6, '0'),
       '0901234567', '', '', '', '', 'Hồ sơ mẫu (benchmark)',
       c.centre, c.unit, c.centre, 'counter',
       t.received - interval '20 minutes', t.received, d.day, t.due, t.due, NULL,
       CASE WHEN t.due > now() THEN NULL ELSE t.received + (t.due - t.received) * 0.8 END,
       CASE WHEN t.due > now() THEN NULL ELSE t.received + (t.due - t.received) * 0.8
            + interval '1 day' END,
       CASE WHEN t.due > now() THEN '' ELSE 'approved' END, 0, 0
FROM (
    SELECT g, g %% %(days)s AS di,
           floor(random() * %(n_combos)s::int)::int AS ci,
           1 + floor(random() * 9)::int AS slot,
           random() < 0.5 AS male,
           1 + floor(random() * cardinality(%(sur)s::text[]))::int AS si,
           random() AS mr, random() < 0.3 AS two_middle, random() AS g1, random() AS g2,
           1 + floor(random() * 40)::int AS span,
           1 + floor(random() * cardinality(%(idp)s::text[]))::int AS pi,
           1945 + floor(random() * 63)::int AS year,
           floor(random() * 1000000)::int AS serial,
           random() < 0.5 AS online
    FROM generate_series(%(start)s::bigint, %(stop)s::bigint) AS g
) AS x
JOIN bench_days d ON d.i = x.di
JOIN bench_combos c ON c.i = x.ci
CROSS JOIN LATERAL (
    SELECT ((d.day + make_time((%(slot_h)s::int[])[x.slot], (%(slot_m)s::int[])[x.slot], 0))
            AT TIME ZONE 'Asia/Ho_Chi_Minh') AS received
) AS r
CROSS JOIN LATERAL (SELECT r.received, r.received + make_interval(days => x.span) AS due) AS t
CROSS JOIN LATERAL (
    SELECT {{names}}
) AS n
"""


def _pick(pool: str, fraction: str) -> str:
    """``pool[1 + floor(fraction * len)]`` for a text[] parameter."""
    array = f"%({pool})s::text[]"
    return f"({array})[1 + floor({fraction} * cardinality({array}))::int]"


def _by_sex(pool: str, fraction: str, folded: bool) -> str:
    suffix = "_f" if folded else ""
    return (
        f"CASE WHEN x.male THEN {_pick(pool + '_m' + suffix, fraction)} "
        f"ELSE {_pick(pool + '_f' + suffix, fraction)} END"
    )


def _names() -> str:
    """The middle, second middle and given names of a row and their folded forms (the folded
    pools are the same lists folded, so one index picks both)."""
    columns = []
    for folded in (False, True):
        suffix = "_f" if folded else ""
        columns += [
            f"{_by_sex('mid', 'x.mr', folded)} AS middle{suffix}",
            f"CASE WHEN x.two_middle THEN ' ' || {_by_sex('giv', 'x.g1', folded)} ELSE '' END "
            f"AS second{suffix}",
            f"{_by_sex('giv', 'x.g2', folded)} AS given{suffix}",
        ]
    return ",\n           ".join(columns)


INSERT = _INSERT.replace("{names}", _names())


def weighted(pool: tuple[tuple[str, float], ...], scale: float = 10) -> list[str]:
    """A list where each name appears in proportion to its weight (one draw = one index)."""
    out: list[str] = []
    for name, weight in pool:
        out += [name] * max(1, round(weight * scale))
    return out


def seed_dossiers(url: str, dossiers: int, years: int, seed: int) -> float:
    """Replace the dossiers with ``dossiers`` rows generated server-side; seconds taken."""

    from bench import seed as history
    from motcua.core.clock import now, to_local
    from motcua.dossiers.codes import format_unit_code
    from motcua.worktime.calendars import calendar_for

    rng = random.Random(seed)
    competent, _, _ = history.reference(rng)
    today = to_local(now()).date()
    days, _ = history.working_days(
        date(today.year - years + 1, 1, 1), today, calendar_for(PROVINCE)
    )
    if dossiers > 9_999 * len(days):
        raise SystemExit(f"at most {9_999 * len(days):,} dossiers over {years} years (code seq)")
    combos: list[tuple[str, str, str, str, str]] = []
    prefixes: dict[str, str] = {}
    for unit in competent:
        prefix = prefixes.get(unit.centre_eid)
        if prefix is None:  # the normalized e-ID part of the code (R-ID-09)
            prefix = format_unit_code(unit.centre_eid, today, 1).rsplit("-", 2)[0]
            prefixes[unit.centre_eid] = prefix
        copies = max(1, round(unit.weight * 20 / len(unit.versions)))
        for version in unit.versions:
            combos += [(unit.pk, unit.centre, prefix, version.pk, version.code)] * copies
    params: dict[str, Any] = {"seed": str(seed), "days": len(days), "n_combos": len(combos)}
    params.update(_pools())
    started = time.perf_counter()
    _insert(url, days=days, combos=combos, params=params, dossiers=dossiers, seed=seed)
    return time.perf_counter() - started


def _pools() -> dict[str, list[Any]]:
    """The name pools (weighted by repetition) and their folded twins, the ID number's provinces
    and the receipt slots, as array parameters."""
    from bench import seed as history

    fold = _folder()
    params: dict[str, list[Any]] = {}
    for key, names in (
        ("sur", weighted(history.SURNAMES)),
        ("mid_m", weighted(history.MIDDLE_M)),
        ("mid_f", weighted(history.MIDDLE_F)),
        ("giv_m", list(history.GIVEN_M)),
        ("giv_f", list(history.GIVEN_F)),
    ):
        params[key] = names
        params[f"{key}_f"] = [fold(n) for n in names]
    params["idp"] = list(history.ID_PROVINCES)
    params["slot_h"] = [h for h, _ in history.SLOTS]
    params["slot_m"] = [m for _, m in history.SLOTS]
    return params


def _insert(
    url: str,
    *,
    days: list[date],
    combos: list[tuple[str, str, str, str, str]],
    params: dict[str, Any],
    dossiers: int,
    seed: int,
) -> None:
    import psycopg

    fold = _folder()
    started = time.perf_counter()
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")  # a seed: no per-row FK triggers
        conn.execute("CREATE TEMP TABLE bench_days (i int PRIMARY KEY, day date)")
        conn.execute(
            "CREATE TEMP TABLE bench_combos (i int PRIMARY KEY, unit uuid, centre uuid, "
            "prefix text, version_id uuid, procedure_code text)"
        )
        with conn.cursor() as cursor:
            with cursor.copy("COPY bench_days FROM STDIN") as copy:
                for i, day in enumerate(days):
                    copy.write_row((i, day))
            with cursor.copy("COPY bench_combos FROM STDIN") as copy:
                for i, row in enumerate(combos):
                    copy.write_row((i, *row))
        conn.execute("ANALYZE bench_days")
        conn.execute("ANALYZE bench_combos")
        conn.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        chunk = 1_000_000
        for start in range(0, dossiers, chunk):
            stop = min(dossiers, start + chunk) - 1
            conn.execute(INSERT, {**params, "start": start, "stop": stop})
            conn.commit()
            rate = (stop + 1) / (time.perf_counter() - started)
            say(f"# fast seed: {stop + 1:,} dossiers, {rate:,.0f}/s")
        bad = conn.execute(
            "SELECT applicant_name, applicant_name_folded FROM dossiers_dossier "
            "TABLESAMPLE SYSTEM (1) LIMIT 2000"
        ).fetchall()
    wrong = [n for n, f in bad if fold(n) != f]
    if wrong:
        raise SystemExit(f"folded names differ from core.text.fold: {wrong[:3]}")
    states = Tally(len(n.split()) for n, _ in bad)
    say(f"# fast seed: folded names checked on {len(bad)} rows; syllables {dict(states)}")


def _folder() -> Any:
    from motcua.core.text import fold

    return fold


def run(dossiers: int, years: int, seed: int) -> None:
    """The whole fast seed: migrate and seed the reference data, replace the dossiers, rebuild
    the secondary indexes (each timed: what a migration adding one costs at this size), then
    VACUUM ANALYZE."""
    import psycopg
    from django.db import connection

    from bench import seed as history
    from bench.common import migrate_and_seed

    url = history.target_url()
    migrate_and_seed(personas=True)
    connection.close()
    history.clear(url)
    definitions = history.drop_indexes(url)
    try:
        seconds = seed_dossiers(url, dossiers, years, seed)
        say(f"# fast seed: {dossiers:,} dossiers in {seconds:.0f} s ({dossiers / seconds:,.0f}/s)")
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '512MB'")
            for definition in definitions:
                began = time.perf_counter()
                conn.execute(definition)
                if "dossiers_dossier " in definition:
                    name = definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
                    say(f"# index {name} built in {time.perf_counter() - began:.1f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        began = time.perf_counter()
        conn.execute("VACUUM ANALYZE dossiers_dossier")
        conn.execute("ANALYZE")
        size = conn.execute("SELECT pg_total_relation_size('dossiers_dossier')").fetchone()
    say(
        f"# vacuum analyze {time.perf_counter() - began:.1f} s; dossiers_dossier with its "
        f"indexes {(size[0] if size else 0) / 2**30:.2f} GiB"
    )


if __name__ == "__main__":  # python -m bench.searchseed N: seed DATABASE_URL and keep it
    import os
    import sys

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    run(int(sys.argv[1]), 5, seed=12)
