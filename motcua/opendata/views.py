"""Pages of the open data at /du-lieu-mo/ (list and search, a dataset with a preview, a chart
where it says more than the table, downloads and API examples), the downloads, the iCalendar
feed, and the standards endpoints' DCAT views."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.clock import local_today
from motcua.core.text import fold
from motcua.insights import svg
from motcua.opendata import dcat, exports, ical
from motcua.opendata import selectors as sel
from motcua.opendata.datasets import FREQUENCY_VI, GROUPS, Table, table
from motcua.opendata.models import DatastoreRow, ResourceVersion
from motcua.worktime.models import WorkingCalendar

PREVIEW_ROWS = 20


def _site(request: HttpRequest) -> sel.Site:
    return sel.Site(request.build_absolute_uri("/").rstrip("/"))


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    group = request.GET.get("nhom", "")
    pubs = list(sel.published().values())
    tokens = fold(q).split()
    items = []
    for pub in pubs:
        ds = pub.dataset
        text = fold(" ".join([str(ds.title), str(ds.description), *ds.tags]))
        if tokens and not all(t in text for t in tokens):
            continue
        if group and ds.group != group:
            continue
        items.append(
            {
                "slug": ds.slug,
                "title": ds.title,
                "description": ds.description,
                "tags": ds.tags,
                "modified": pub.modified,
                "frequency": FREQUENCY_VI.get(ds.frequency, ds.frequency),
                "formats": sorted({f.upper() for t in ds.tables for f in sel.formats(t)}),
                "group": GROUPS.get(ds.group, ""),
            }
        )
    context = {
        "items": items,
        "q": q,
        "group": group,
        "groups": sorted(GROUPS.items(), key=lambda kv: str(kv[1])),
        "total": len(pubs),
        "api": _site(request).url("/opendata/api/3/action/package_list"),
    }
    return render(request, "opendata/index.html", context)


def _chart(pub: sel.Published) -> str:
    """Received dossiers per month (dossier statistics) or the on-time rate of the communes in
    the latest quarter (766); '' for the datasets a table says everything about."""
    slug = pub.dataset.slug
    if slug == "thong-ke-ho-so" and "theo-don-vi-thang" in pub.versions:
        totals: dict[str, int] = defaultdict(int)
        for data in DatastoreRow.objects.filter(
            version=pub.versions["theo-don-vi-thang"]
        ).values_list("data", flat=True):
            totals[data["month"]] += data.get("received") or 0
        rows = sorted(totals.items())[-12:]
        if not rows:
            return ""
        return svg.hbar(rows, title=_("Hồ sơ tiếp nhận theo tháng (các số đã công bố)"))
    if slug == "chi-so-766" and "chi-so-theo-don-vi-quy" in pub.versions:
        version = pub.versions["chi-so-theo-don-vi-quy"]
        base = DatastoreRow.objects.filter(
            version=version, data__indicator="on_time", data__scope="commune"
        )
        last = max(base.values_list("data__period", flat=True), default=None)
        if last is None:
            return ""
        points = [
            (d["unit"], d["percent"])
            for d in base.filter(data__period=last).values_list("data", flat=True)
            if d.get("percent") is not None
        ]
        points.sort(key=lambda kv: kv[1], reverse=True)
        if not points:
            return ""
        title = _("Tỷ lệ giải quyết đúng hạn của các xã, phường, kỳ {period} (%)").format(
            period=last
        )
        return svg.hbar(points[:15], title=title, unit="%", max_value=100)
    return ""


@require_GET
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    pub = sel.published_one(slug)
    if pub is None:
        raise Http404
    site = _site(request)
    org = sel.organization(settings.MOTCUA_PROVINCE_CODE)
    pkg = sel.package_dict(site, pub, org, local_today())
    tables: list[Table] = [t for t in pub.dataset.tables if t.slug in pub.versions]
    chosen = next((t for t in tables if t.slug == request.GET.get("bang")), tables[0])
    version = pub.versions[chosen.slug]
    preview = list(
        DatastoreRow.objects.filter(version=version)
        .order_by("n")
        .values_list("data", flat=True)[:PREVIEW_ROWS]
    )
    columns = version.fields
    resources = []
    for t in tables:
        v = pub.versions[t.slug]
        resources.append(
            {
                "table": t,
                "version": v,
                "selected": t.slug == chosen.slug,
                "links": [(f.upper(), sel.resource_id(slug, t.slug, f), f) for f in sel.formats(t)],
            }
        )
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    datastore_id = sel.resource_id(slug, chosen.slug, "csv")
    context: dict[str, Any] = {
        "pub": pub,
        "pkg": pkg,
        "extras": extras,
        "resources": resources,
        "chosen": chosen,
        "version": version,
        "columns": columns,
        "preview": [[row.get(c["id"]) for c in columns] for row in preview],
        "chart": mark_safe(_chart(pub)),  # noqa: S308 - built by insights.svg, which escapes
        "frequency": FREQUENCY_VI.get(pub.dataset.frequency, pub.dataset.frequency),
        "api_base": site.url("/opendata"),
        "datastore_id": datastore_id,
        "ical": site.url("/du-lieu-mo/lich-lam-viec.ics") if slug == "lich-lam-viec" else "",
    }
    return render(request, "opendata/dataset.html", context)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
def download(request: HttpRequest, slug: str, table_slug: str, fmt: str) -> HttpResponse:
    t = table(slug, table_slug)
    if t is None or fmt not in sel.formats(t):
        raise Http404
    version: ResourceVersion | None = sel.current_version(slug, table_slug)
    if version is None:
        raise Http404
    if fmt == "csv":
        body = exports.csv_bytes(version)
    elif fmt == "json":
        body = exports.json_bytes(version)
    else:
        body = exports.xlsx_bytes(version)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}--{table_slug}.{fmt}"'
    response["ETag"] = f'"{version.content_hash}"'
    response["Last-Modified"] = version.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def calendar_feed(request: HttpRequest, province: int | None = None) -> HttpResponse:
    code = province if province is not None else settings.MOTCUA_PROVINCE_CODE
    if "lich-lam-viec" in sel.held_back():
        raise Http404
    cal = get_object_or_404(WorkingCalendar.objects.select_related("province"), province_id=code)
    body = ical.feed(cal, request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lich-lam-viec-{code}.ics"'
    return response


@require_GET
def catalog_ttl(request: HttpRequest) -> HttpResponse:
    body = dcat.turtle(_site(request), local_today())
    return HttpResponse(body, content_type="text/turtle; charset=utf-8")


@require_GET
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    body = dcat.jsonld(_site(request), local_today())
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")
