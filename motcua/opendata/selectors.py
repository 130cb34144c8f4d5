"""Reads of the published open data: the datasets that are public (not held back, with a
version in force), their CKAN-shaped descriptions, and the rows of a resource."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from motcua.core.clock import to_local
from motcua.geo.models import Province
from motcua.opendata.datasets import (
    BY_SLUG,
    DATASETS,
    FREQUENCY_VI,
    GROUPS,
    Context,
    Dataset,
    Table,
    publisher_unit,
)
from motcua.opendata.models import DatasetControl, ResourceVersion

NS = uuid.UUID("0b6f6a36-2f1f-4d39-9a34-6f70656e6461")  # fixed: ids stay stable across runs

FORMATS = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json")}
XLSX = (
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def dataset_id(slug: str) -> str:
    return str(uuid.uuid5(NS, f"dataset:{slug}"))


def resource_id(dataset: str, table: str, fmt: str) -> str:
    return str(uuid.uuid5(NS, f"resource:{dataset}/{table}/{fmt}"))


def group_id(slug: str) -> str:
    return str(uuid.uuid5(NS, f"group:{slug}"))


#: resource id → (dataset, table, format)
RESOURCES: dict[str, tuple[str, str, str]] = {
    resource_id(d.slug, t.slug, fmt): (d.slug, t.slug, fmt)
    for d in DATASETS
    for t in d.tables
    for fmt in ("csv", "json", *(("xlsx",) if t.xlsx else ()))
}


def formats(table: Table) -> list[str]:
    return ["csv", "json", *(["xlsx"] if table.xlsx else [])]


@dataclass(frozen=True)
class Published:
    dataset: Dataset
    versions: dict[str, ResourceVersion]  # table slug → version in force

    @property
    def modified(self) -> datetime:
        return max(v.last_modified for v in self.versions.values())


def held_back() -> set[str]:
    return set(DatasetControl.objects.filter(held_back=True).values_list("dataset", flat=True))


def published() -> dict[str, Published]:
    """Every public dataset with its versions in force (two queries)."""
    hidden = held_back()
    by: dict[str, dict[str, ResourceVersion]] = {}
    for v in ResourceVersion.objects.filter(current=True, held_back=False).exclude(
        dataset__in=hidden
    ):
        by.setdefault(v.dataset, {})[v.resource] = v
    return {
        d.slug: Published(d, by[d.slug]) for d in DATASETS if d.slug in by and d.slug not in hidden
    }


def published_one(slug: str) -> Published | None:
    ds = BY_SLUG.get(slug)
    if ds is None or slug in held_back():
        return None
    versions = {
        v.resource: v
        for v in ResourceVersion.objects.filter(dataset=slug, current=True, held_back=False)
    }
    return Published(ds, versions) if versions else None


def current_version(dataset: str, table: str) -> ResourceVersion | None:
    if dataset in held_back():
        return None
    return ResourceVersion.objects.filter(
        dataset=dataset, resource=table, current=True, held_back=False
    ).first()


# --------------------------------------------------------------------------- CKAN shapes


def iso(moment: datetime) -> str:
    return to_local(moment).replace(tzinfo=None).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Site:
    base: str  # absolute URL of the site, no trailing slash

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def organization(province_id: int) -> dict[str, Any]:
    unit = publisher_unit(province_id)
    province = Province.objects.get(pk=province_id)
    name = f"ubnd-{province.codename}".replace("_", "-")
    return {
        "id": str(unit.pk) if unit else str(uuid.uuid5(NS, f"org:{province_id}")),
        "name": name,
        "title": unit.name if unit else f"Ủy ban nhân dân {province.name}",
        "display_name": unit.name if unit else province.name,
        "description": f"Mã định danh điện tử: {unit.eid_code}" if unit else "",
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": "",
        "extras": [{"key": "eid_code", "value": unit.eid_code if unit else ""}],
    }


def group_dict(slug: str, count: int = 0) -> dict[str, Any]:
    title = str(GROUPS[slug])
    return {
        "id": group_id(slug),
        "name": slug,
        "title": title,
        "display_name": title,
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "package_count": count,
    }


def temporal(ds: Dataset, today: date) -> tuple[date | None, date | None]:
    return ds.temporal(Context.default(today))


def resource_dict(
    site: Site, pub: Published, table: Table, fmt: str, position: int
) -> dict[str, Any]:
    ds = pub.dataset
    version = pub.versions.get(table.slug)
    label, mime = XLSX if fmt == "xlsx" else FORMATS[fmt]
    download = site.url(
        reverse("opendata:download", args=[ds.slug, table.slug, fmt]),
    )
    return {
        "id": resource_id(ds.slug, table.slug, fmt),
        "package_id": dataset_id(ds.slug),
        "name": f"{table.title} ({label})",
        "description": str(table.title),
        "format": label,
        "mimetype": mime,
        "url": download,
        "url_type": "datastore" if fmt == "csv" else "",
        "datastore_active": fmt == "csv",
        "position": position,
        "state": "active",
        "created": iso(version.last_modified) if version else None,
        "last_modified": iso(version.last_modified) if version else None,
        "metadata_modified": iso(version.last_modified) if version else None,
        "hash": f"sha256:{version.content_hash}" if version else "",
        "size": None,
        "resource_type": "file",
        "version": version.version if version else None,
        "row_count": version.row_count if version else 0,
        "schema": {"fields": version.fields} if version else None,
    }


def package_dict(
    site: Site,
    pub: Published,
    org: dict[str, Any],
    today: date,
    span: tuple[Any, Any] | None = None,
) -> dict[str, Any]:
    ds = pub.dataset
    start, end = span if span is not None else temporal(ds, today)
    resources: list[dict[str, Any]] = []
    for table in ds.tables:
        if table.slug not in pub.versions:
            continue
        for fmt in formats(table):
            resources.append(resource_dict(site, pub, table, fmt, len(resources)))
    province = Province.objects.get(pk=settings.MOTCUA_PROVINCE_CODE)
    groups = [group_dict(ds.group)] if ds.group else []
    extras = {
        "frequency": ds.frequency,
        "frequency_vi": str(FREQUENCY_VI.get(ds.frequency, ds.frequency)),
        "spatial_text": province.name,
        "spatial_code": str(province.code),
        "temporal_start": start.isoformat() if start else "",
        "temporal_end": end.isoformat() if end else "",
        "publisher_eid_code": org["extras"][0]["value"],
        "language": "vi",
    }
    modified = iso(pub.modified)
    created = min(v.last_modified for v in pub.versions.values())
    return {
        "id": dataset_id(ds.slug),
        "name": ds.slug,
        "title": str(ds.title),
        "notes": str(ds.description),
        "type": "dataset",
        "state": "active",
        "private": False,
        "license_id": settings.MOTCUA_OPENDATA_LICENSE_ID,
        "license_title": settings.MOTCUA_OPENDATA_LICENSE_ID,
        "license_url": settings.MOTCUA_OPENDATA_LICENSE_URL,
        "isopen": True,
        "author": org["title"],
        "maintainer": org["title"],
        "owner_org": org["id"],
        "organization": {k: org[k] for k in ("id", "name", "title", "description", "type")},
        "url": site.url(reverse("opendata:dataset", args=[ds.slug])),
        "version": str(max(v.version for v in pub.versions.values())),
        "metadata_created": iso(created),
        "metadata_modified": modified,
        "tags": [{"name": t, "display_name": t, "state": "active"} for t in ds.tags],
        "num_tags": len(ds.tags),
        "groups": groups,
        "resources": resources,
        "num_resources": len(resources),
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
    }
