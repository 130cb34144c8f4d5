"""A CKAN-compatible Action API (read actions only) at ``/opendata/api/3/action/<name>`` and
``/opendata/api/action/<name>``: the envelope (``help``, ``success``, ``result`` or ``error``
with ``__type``), the status codes and the parameters of CKAN 2.10, so that ``ckanapi``, CKAN's
harvesters and other data tools read the province without any code of ours.

GET (query string; JSON-valued parameters such as ``filters`` as JSON text) and POST (a JSON
body, as ``ckanapi`` sends) are both accepted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTransform
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from motcua.core.clock import local_today
from motcua.core.text import fold
from motcua.opendata import selectors as sel
from motcua.opendata.datasets import BY_SLUG, DATASETS, GROUPS
from motcua.opendata.models import DatastoreRow, ResourceVersion

CKAN_VERSION = "2.10.4"
ROWS_MAX = 1000  # package_search rows (CKAN's ckan.search.rows_max default)
DATASTORE_MAX = 32000  # datastore_search limit (CKAN's ckan.datastore.search.rows_max default)
DATASTORE_DEFAULT = 100


class ActionError(Exception):
    def __init__(self, status: int, kind: str, message: str | dict[str, Any]) -> None:
        super().__init__(str(message))
        self.status = status
        self.kind = kind
        self.message = message


def not_found(what: str = "Not found") -> ActionError:
    return ActionError(404, "Not Found Error", what)


def validation(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", {field: [message]})


def _int(params: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise validation(name, "Invalid integer") from None
    if value < low:
        raise validation(name, f"Must be a natural number >= {low}")
    return min(value, high)


def _json_param(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise validation(name, "Cannot parse JSON") from None
    return value


def _site(request: HttpRequest) -> sel.Site:
    return sel.Site(request.build_absolute_uri("/").rstrip("/"))


# --------------------------------------------------------------------------- actions


def status_show(request: HttpRequest, params: dict[str, Any]) -> Any:
    site = _site(request)
    return {
        "site_title": "Dữ liệu mở",
        "site_description": "Dữ liệu mở về thủ tục hành chính và dịch vụ công của tỉnh",
        "site_url": site.url("/opendata"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "vi",
        "extensions": ["datastore", "dcat"],
    }


def site_read(request: HttpRequest, params: dict[str, Any]) -> Any:
    return True


def package_list(request: HttpRequest, params: dict[str, Any]) -> Any:
    names = sorted(sel.published())
    offset = _int(params, "offset", 0, 0, 10**6)
    limit = _int(params, "limit", len(names) or 1, 1, 10**6)
    return names[offset : offset + limit]


#: Package descriptions by (site, day, versions in force, datasets held back): they change only
#: when the job publishes or an administrator holds a dataset back, so a request costs the
#: two queries of the fingerprint (process-local; bounded).
_PACKAGES: dict[tuple[Any, ...], list[dict[str, Any]]] = {}


def _packages(request: HttpRequest) -> list[dict[str, Any]]:
    site, today = _site(request), local_today()
    key = (
        site.base,
        today,
        tuple(
            ResourceVersion.objects.filter(current=True, held_back=False)
            .order_by("pk")
            .values_list("pk", "version", "content_hash", "last_modified")
        ),
        frozenset(sel.held_back()),
    )
    cached = _PACKAGES.get(key)
    if cached is not None:
        return cached
    org = sel.organization(settings.MOTCUA_PROVINCE_CODE)
    packages = [sel.package_dict(site, p, org, today) for p in sel.published().values()]
    if len(_PACKAGES) >= 16:
        _PACKAGES.clear()
    _PACKAGES[key] = packages
    return packages


def package_show(request: HttpRequest, params: dict[str, Any]) -> Any:
    ident = str(params.get("id") or params.get("name_or_id") or "")
    if not ident:
        raise validation("id", "Missing value")
    slug = (
        ident
        if ident in BY_SLUG
        else next((d.slug for d in DATASETS if sel.dataset_id(d.slug) == ident), "")
    )
    pub = sel.published_one(slug) if slug else None
    if pub is None:
        raise not_found()
    org = sel.organization(settings.MOTCUA_PROVINCE_CODE)
    return sel.package_dict(_site(request), pub, org, local_today())


FQ_TERM = re.compile(r'([+-]?)([\w.]+):("(?:[^"]*)"|\S+)')
FQ_FIELDS = {
    "tags": lambda p: [t["name"] for t in p["tags"]],
    "organization": lambda p: [p["organization"]["name"]],
    "groups": lambda p: [g["name"] for g in p["groups"]],
    "res_format": lambda p: [r["format"] for r in p["resources"]],
    "name": lambda p: [p["name"]],
    "id": lambda p: [p["id"]],
    "license_id": lambda p: [p["license_id"]],
    "frequency": lambda p: [e["value"] for e in p["extras"] if e["key"] == "frequency"],
}
SORTS = {
    "name": lambda p: p["name"],
    "title_string": lambda p: fold(p["title"]),
    "metadata_modified": lambda p: p["metadata_modified"],
    "metadata_created": lambda p: p["metadata_created"],
    "num_resources": lambda p: p["num_resources"],
}


def _searchable(p: dict[str, Any]) -> str:
    parts = [p["name"], p["title"], p["notes"], *(t["name"] for t in p["tags"])]
    parts += [r["name"] for r in p["resources"]]
    return fold(" ".join(parts))


def _score(p: dict[str, Any], tokens: list[str]) -> int:
    title, text = fold(p["title"]), _searchable(p)
    return sum(3 * title.count(t) + text.count(t) for t in tokens)


def search_packages(packages: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """package_search over ``packages`` (the province's few datasets, described in full)."""
    q = str(params.get("q") or "").strip()
    rows = _int(params, "rows", 10, 0, ROWS_MAX)
    start = _int(params, "start", 0, 0, 10**6)
    tokens = [] if q in ("", "*:*") else fold(q).replace('"', " ").split()
    hits = []
    for p in packages:
        if tokens:
            text = _searchable(p)
            if not all(t in text for t in tokens):
                continue
        hits.append(p)
    for sign, name, value in FQ_TERM.findall(str(params.get("fq") or "")):
        get = FQ_FIELDS.get(name)
        if get is None:
            raise validation("fq", f"Unknown field: {name}")
        wanted = value.strip('"')
        keep = sign != "-"
        hits = [p for p in hits if (wanted in get(p)) == keep]
    sort = str(params.get("sort") or ("score desc, metadata_modified desc"))
    keys = [part.split() for part in sort.split(",") if part.strip()]
    for words in reversed(keys):
        field = words[0]
        desc = len(words) > 1 and words[1].lower() == "desc"
        if field == "score":
            hits.sort(key=lambda p: _score(p, tokens), reverse=desc)
            continue
        key = SORTS.get(field)
        if key is None:
            raise validation("sort", f"Cannot sort by field `{field}`")
        hits.sort(key=key, reverse=desc)
    facets: dict[str, Any] = {}
    facet_fields = _json_param(params, "facet.field") or []
    for name in facet_fields if isinstance(facet_fields, list) else []:
        get = FQ_FIELDS.get(name)
        if get is None:
            continue
        counts: dict[str, int] = {}
        for p in hits:
            for v in get(p):
                counts[v] = counts.get(v, 0) + 1
        facets[name] = {
            "title": name,
            "items": [
                {"name": k, "display_name": k, "count": n} for k, n in sorted(counts.items())
            ],
        }
    return {
        "count": len(hits),
        "results": hits[start : start + rows],
        "sort": sort,
        "facets": {k: {i["name"]: i["count"] for i in v["items"]} for k, v in facets.items()},
        "search_facets": facets,
    }


def package_search(request: HttpRequest, params: dict[str, Any]) -> Any:
    return search_packages(_packages(request), params)


def organization_list(request: HttpRequest, params: dict[str, Any]) -> Any:
    org = sel.organization(settings.MOTCUA_PROVINCE_CODE)
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [{**org, "package_count": len(sel.published())}]
    return [org["name"]]


def organization_show(request: HttpRequest, params: dict[str, Any]) -> Any:
    org = sel.organization(settings.MOTCUA_PROVINCE_CODE)
    if str(params.get("id") or "") not in (org["name"], org["id"]):
        raise not_found()
    packages = _packages(request)
    out = {**org, "package_count": len(packages)}
    if str(params.get("include_datasets", "")).lower() in ("true", "1"):
        out["packages"] = packages
    return out


def group_list(request: HttpRequest, params: dict[str, Any]) -> Any:
    pubs = sel.published()
    counts = {g: sum(1 for p in pubs.values() if p.dataset.group == g) for g in GROUPS}
    if str(params.get("all_fields", "")).lower() in ("true", "1"):
        return [sel.group_dict(g, counts[g]) for g in sorted(GROUPS)]
    return sorted(GROUPS)


def tag_list(request: HttpRequest, params: dict[str, Any]) -> Any:
    query = fold(str(params.get("query") or ""))
    tags = sorted({t for p in sel.published().values() for t in p.dataset.tags})
    return [t for t in tags if query in fold(t)]


def _resource(ident: str) -> tuple[str, str, str]:
    found = sel.RESOURCES.get(ident)
    if found is None:
        raise not_found("Resource was not found.")
    return found


def resource_show(request: HttpRequest, params: dict[str, Any]) -> Any:
    dataset, table_slug, fmt = _resource(str(params.get("id") or ""))
    pub = sel.published_one(dataset)
    if pub is None or table_slug not in pub.versions:
        raise not_found("Resource was not found.")
    table = next(t for t in pub.dataset.tables if t.slug == table_slug)
    return sel.resource_dict(_site(request), pub, table, fmt, 0)


# --------------------------------------------------------------------------- datastore

TYPES = {"int": int, "numeric": float}


def _coerce(kind: str, field: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text not in ("true", "false"):
            raise validation("filters", f"invalid value for boolean field {field}")
        return text == "true"
    cast = TYPES.get(kind)
    if cast is None:
        return str(value)
    try:
        return cast(value)
    except (TypeError, ValueError):
        raise validation("filters", f"invalid value for {kind} field {field}: {value}") from None


def _field_list(params: dict[str, Any], ids: list[str]) -> list[str]:
    raw = _json_param(params, "fields")
    if raw in (None, "", []):
        return ids
    names = raw if isinstance(raw, list) else [f.strip() for f in str(raw).split(",")]
    unknown = [n for n in names if n not in ids and n != "_id"]
    if unknown:
        raise validation("fields", f'field "{unknown[0]}" not in table')
    return [n for n in names if n != "_id"]


def datastore_query(
    version: ResourceVersion, params: dict[str, Any]
) -> tuple[QuerySet[DatastoreRow], list[str], str]:
    """The rows of ``version`` that match ``params`` (filters, q, sort), the output fields, and
    the sort as given."""
    types = {f["id"]: f["type"] for f in version.fields}
    ids = list(types)
    qs: QuerySet[DatastoreRow] = DatastoreRow.objects.filter(version=version)
    filters = _json_param(params, "filters") or {}
    if not isinstance(filters, dict):
        raise validation("filters", "Not a JSON object")
    for name, value in filters.items():
        if name not in types:
            raise validation("filters", f'field "{name}" not in table')
        values = value if isinstance(value, list) else [value]
        cond = Q()
        for v in values:
            coerced = _coerce(types[name], name, v)
            cond |= (
                Q(**{f"data__{name}__isnull": True})
                if coerced is None
                else Q(**{f"data__{name}": coerced})
            )
        qs = qs.filter(cond)
    q = _json_param(params, "q")
    if isinstance(q, dict):
        for name, text in q.items():
            if name not in types:
                raise validation("q", f'field "{name}" not in table')
            qs = qs.filter(**{f"data__{name}__icontains": str(text)})
    elif q:
        for token in fold(str(q)).split():
            qs = qs.filter(text__contains=token)
    sort = str(params.get("sort") or "")
    order: list[Any] = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        words = part.split()
        name = words[0].strip('"')
        desc = len(words) > 1 and words[1].lower() == "desc"
        if name == "_id":
            order.append(F("n").desc() if desc else F("n").asc())
            continue
        if name not in types:
            raise validation("sort", f'field "{name}" not in table')
        # Nulls (suppressed counts) last in both directions, the same on SQLite, where a JSON
        # null reads as the text 'null', and on PostgreSQL.
        order.append(Case(When(Q(**{f"data__{name}": None}), then=Value(1)), default=Value(0)))
        expr = KeyTransform(name, "data")
        order.append(expr.desc() if desc else expr.asc())
    qs = qs.order_by(*order, "n")
    return qs, _field_list(params, ids), sort


def datastore_search(request: HttpRequest, params: dict[str, Any]) -> Any:
    ident = str(params.get("resource_id") or params.get("id") or "")
    if not ident:
        raise validation("resource_id", "Missing value")
    dataset, table, fmt = _resource(ident)
    version = sel.current_version(dataset, table)
    if version is None or fmt != "csv":
        raise not_found(f'Resource "{ident}" was not found.')
    limit = _int(params, "limit", DATASTORE_DEFAULT, 0, DATASTORE_MAX)
    offset = _int(params, "offset", 0, 0, 10**9)
    qs, fields, sort = datastore_query(version, params)
    records = []
    for n, data in qs.values_list("n", "data")[offset : offset + limit]:
        records.append({"_id": n + 1, **{f: data.get(f) for f in fields}})
    types = {f["id"]: f["type"] for f in version.fields}
    base = f"/opendata/api/3/action/datastore_search?resource_id={ident}"
    out: dict[str, Any] = {
        "include_total": True,
        "resource_id": ident,
        "fields": [{"id": "_id", "type": "int"}]
        + [{"id": f, "type": types[f], "info": _info(version, f)} for f in fields],
        "records_format": "objects",
        "records": records,
        "limit": limit,
        "offset": offset,
        "_links": {
            "start": base,
            "next": f"{base}&offset={offset + limit}",
        },
        "total": qs.count(),
        "total_was_estimated": False,
    }
    for name in ("filters", "q"):
        if params.get(name):
            out[name] = _json_param(params, name)
    if sort:
        out["sort"] = sort
    return out


def _info(version: ResourceVersion, field: str) -> dict[str, str]:
    label = next((f.get("label", "") for f in version.fields if f["id"] == field), "")
    return {"label": label}


ACTIONS: dict[str, Callable[[HttpRequest, dict[str, Any]], Any]] = {
    "status_show": status_show,
    "site_read": site_read,
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "tag_list": tag_list,
    "resource_show": resource_show,
    "datastore_search": datastore_search,
}


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.GET.items())
    if request.method == "POST":
        if request.content_type == "application/json" or request.body[:1] == b"{":
            try:
                body = json.loads(request.body or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise ActionError(400, "Bad request", "JSON Error: cannot parse body") from None
            if not isinstance(body, dict):
                raise ActionError(400, "Bad request", "JSON Error: not a JSON object")
            params.update(body)
        else:
            params.update(dict(request.POST.items()))
    return params


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/opendata/api/3/action/help_show?name={name}")
    fn = ACTIONS.get(name)
    try:
        if fn is None:
            raise ActionError(400, "Bad request", f"Action name not known: {name}")
        result = fn(request, _params(request))
    except ActionError as exc:
        error: dict[str, Any] = {"__type": exc.kind}
        if isinstance(exc.message, dict):
            error.update(exc.message)
        else:
            error["message"] = exc.message
        response = JsonResponse(
            {"help": help_url, "success": False, "error": error},
            status=exc.status,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = JsonResponse(
            {"help": help_url, "success": True, "result": result},
            json_dumps_params={"ensure_ascii": False},
        )
    response["Access-Control-Allow-Origin"] = "*"
    return response
