"""Issue #17 item 4 and the calendar feed: the DCAT-AP catalogue in Turtle and JSON-LD read by
rdflib from the live server, and the iCalendar feed read by ``icalendar``."""

from __future__ import annotations

from datetime import date

import httpx
from icalendar import Calendar
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from motcua.opendata.tests.conftest import LiveSite, Seeded
from motcua.worktime.models import CalendarEntry

FREQ = "http://publications.europa.eu/resource/authority/frequency/"


def _graph(url: str, fmt: str) -> Graph:
    response = httpx.get(url, timeout=30)
    assert response.status_code == 200
    g = Graph()
    g.parse(data=response.text, format=fmt)
    return g


def test_rdflib_reads_the_catalogue_in_turtle_and_json_ld(
    live_site: LiveSite, seeded: Seeded
) -> None:
    turtle = _graph(f"{live_site.url}/opendata/catalog.ttl", "turtle")
    jsonld = _graph(f"{live_site.url}/opendata/catalog.jsonld", "json-ld")
    assert len(turtle) == len(jsonld) > 100
    for g in (turtle, jsonld):
        [catalog] = list(g.subjects(RDF.type, DCAT.Catalog))
        datasets = set(g.objects(catalog, DCAT.dataset))
        assert len(datasets) == 7
        assert datasets == set(g.subjects(RDF.type, DCAT.Dataset))
        for ds in datasets:
            publisher = g.value(ds, DCTERMS.publisher)
            assert g.value(publisher, FOAF.name) is not None
            assert str(g.value(publisher, DCTERMS.identifier)).startswith("000.00.00.")
            assert g.value(ds, DCTERMS.license) is not None
            assert str(g.value(ds, DCTERMS.accrualPeriodicity)).startswith(FREQ)
            assert g.value(ds, DCTERMS.spatial) is not None
            title = g.value(ds, DCTERMS.title)
            assert isinstance(title, Literal)
            assert title.language == "vi"
            dists = list(g.objects(ds, DCAT.distribution))
            assert dists
            for dist in dists:
                assert (dist, RDF.type, DCAT.Distribution) in g
                assert str(g.value(dist, DCAT.accessURL)).startswith(live_site.url)
                download = str(g.value(dist, DCAT.downloadURL))
                assert download.startswith(f"{live_site.url}/du-lieu-mo/")
        stats = next(d for d in datasets if str(d).endswith("/du-lieu-mo/thong-ke-ho-so/"))
        period = g.value(stats, DCTERMS.temporal)
        end, start = g.value(period, DCAT.endDate), g.value(period, DCAT.startDate)
        assert isinstance(end, Literal)
        assert isinstance(start, Literal)
        assert end.toPython() == date(2026, 3, 10)
        assert start.toPython() == date(2026, 1, 1)  # three months (conftest)
    # A download link from the catalogue works.
    stats = next(d for d in turtle.subjects(RDF.type, DCAT.Dataset) if "thong-ke-ho-so" in str(d))
    url = next(
        str(turtle.value(d, DCAT.downloadURL))
        for d in turtle.objects(stats, DCAT.distribution)
        if str(turtle.value(d, DCAT.downloadURL)).endswith("theo-don-vi-thang.csv")
    )
    body = httpx.get(url, timeout=30).content.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("month,unit_code,unit,received,")


def test_the_working_calendar_is_an_icalendar_feed(live_site: LiveSite, seeded: Seeded) -> None:
    response = httpx.get(f"{live_site.url}/du-lieu-mo/lich-lam-viec.ics", timeout=30)
    assert response.headers["content-type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    entries = CalendarEntry.objects.filter(calendar__province_id=92)
    assert len(events) == entries.count() > 10
    days = {e.decoded("dtstart") for e in events}
    assert days == set(entries.values_list("day", flat=True))
    tet = next(e for e in events if "Tết" in str(e.get("summary")))
    assert tet.decoded("dtend") - tet.decoded("dtstart") == date(2026, 1, 2) - date(2026, 1, 1)
    assert str(cal.get("x-wr-timezone")) == "Asia/Ho_Chi_Minh"
    by_code = httpx.get(f"{live_site.url}/du-lieu-mo/lich-lam-viec/92.ics", timeout=30)
    assert by_code.status_code == 200
    assert (
        httpx.get(f"{live_site.url}/du-lieu-mo/lich-lam-viec/1.ics", timeout=30).status_code == 404
    )
