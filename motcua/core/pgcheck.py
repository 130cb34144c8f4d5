"""Fail loudly, with a clear message, when the PostgreSQL the suite needs is not reachable.

`make test` runs the suite on PostgreSQL too; an unreachable server must stop the run, never
turn into silently skipped tests.
"""

from __future__ import annotations

import sys

import psycopg


def main(url: str) -> int:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as exc:
        sys.stderr.write(
            f"\n*** PostgreSQL is not reachable at {url.rsplit('@', 1)[-1]}: {exc}".rstrip()
            + "\n*** `make test` runs the whole suite on PostgreSQL as well as SQLite. Start the"
            " server or set PG_BASE_URL=postgres://USER@HOST:PORT and run again.\n\n"
        )
        return 1
    sys.stdout.write(f"PostgreSQL {version[0] if version else '?'} reachable\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
