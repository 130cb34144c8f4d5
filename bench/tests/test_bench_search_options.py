"""``motcua bench search --no-seed`` measures the database ``DATABASE_URL`` names: without it the
command refuses at once (it would otherwise measure an empty throw-away database)."""

from __future__ import annotations

import pytest

from bench import search


def test_no_seed_needs_a_database_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert search.main(["--no-seed"]) == 2
    assert "DATABASE_URL" in capsys.readouterr().out


def test_the_options() -> None:
    options = search.parse(["--no-seed", "--samples", "5"])
    assert options.no_seed is True
    assert options.samples == 5
    assert search.parse([]).no_seed is False
