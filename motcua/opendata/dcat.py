"""The catalogue as DCAT-AP (2.x/3.0 classes and properties) with rdflib, serialised as Turtle and
JSON-LD at ``/opendata/catalog.ttl`` and ``/opendata/catalog.jsonld``: what ckanext-dcat's
harvester and European-style portals read."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from motcua.geo.models import Province
from motcua.opendata import selectors as sel

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANG = URIRef("http://publications.europa.eu/resource/authority/language/VIE")
MEDIA = {"CSV": "text/csv", "JSON": "application/json"}


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def graph(site: sel.Site, today: date) -> Graph:
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vcard", VCARD)
    g.bind("skos", SKOS)
    g.bind("locn", LOCN)
    g.bind("adms", ADMS)
    province = Province.objects.get(pk=settings.MOTCUA_PROVINCE_CODE)
    org = sel.organization(province.pk)
    catalog = URIRef(site.url("/opendata/catalog"))
    publisher = URIRef(site.url(f"/opendata/organization/{org['name']}"))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(org["title"], lang="vi")))
    g.add((publisher, DCTERMS.identifier, Literal(org["extras"][0]["value"])))
    spatial = URIRef(site.url(f"/opendata/spatial/{province.code}"))
    g.add((spatial, RDF.type, DCTERMS.Location))
    g.add((spatial, SKOS.prefLabel, Literal(province.name, lang="vi")))
    g.add((spatial, DCTERMS.identifier, Literal(str(province.code))))
    license_ = URIRef(settings.MOTCUA_OPENDATA_LICENSE_URL)
    g.add((license_, RDF.type, DCTERMS.LicenseDocument))
    g.add((license_, DCTERMS.identifier, Literal(settings.MOTCUA_OPENDATA_LICENSE_ID)))

    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal(f"Dữ liệu mở {province.name}", lang="vi")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Dữ liệu mở về thủ tục hành chính và dịch vụ công", lang="vi"),
        )
    )
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCTERMS.language, LANG))
    g.add((catalog, DCTERMS.license, license_))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(site.url("/opendata/api/3/action/group_list"))))
    g.add((catalog, FOAF.homepage, URIRef(site.url("/du-lieu-mo/"))))
    pubs = sel.published()
    if pubs:
        last = max(p.modified for p in pubs.values())
        g.add((catalog, DCTERMS.modified, Literal(sel.iso(last), datatype=XSD.dateTime)))
    for pub in pubs.values():
        pkg = sel.package_dict(site, pub, org, today)
        ds = URIRef(pkg["url"])
        g.add((catalog, DCAT.dataset, ds))
        _dataset(g, ds, pkg=pkg, publisher=publisher, spatial=spatial, license_=license_)
    return g


def _dataset(
    g: Graph,
    ds: URIRef,
    *,
    pkg: dict[str, Any],
    publisher: URIRef,
    spatial: URIRef,
    license_: URIRef,
) -> None:
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.identifier, Literal(pkg["id"])))
    g.add((ds, DCTERMS.title, Literal(pkg["title"], lang="vi")))
    g.add((ds, DCTERMS.description, Literal(pkg["notes"], lang="vi")))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCTERMS.license, license_))
    g.add((ds, DCTERMS.language, LANG))
    g.add((ds, DCAT.landingPage, ds))
    g.add((ds, DCTERMS.spatial, spatial))
    g.add((ds, DCTERMS.accrualPeriodicity, FREQ[extras["frequency"]]))
    g.add((ds, DCTERMS.issued, Literal(pkg["metadata_created"], datatype=XSD.dateTime)))
    g.add((ds, DCTERMS.modified, Literal(pkg["metadata_modified"], datatype=XSD.dateTime)))
    g.add((ds, ADMS.versionNotes, Literal(f"Phiên bản {pkg['version']}", lang="vi")))
    for tag in pkg["tags"]:
        g.add((ds, DCAT.keyword, Literal(tag["name"], lang="vi")))
    if extras.get("temporal_start") or extras.get("temporal_end"):
        period = BNode()
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if extras.get("temporal_start"):
            g.add((period, DCAT.startDate, _date(date.fromisoformat(extras["temporal_start"]))))
        if extras.get("temporal_end"):
            g.add((period, DCAT.endDate, _date(date.fromisoformat(extras["temporal_end"]))))
    contact = BNode()
    g.add((ds, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(pkg["maintainer"], lang="vi")))
    for res in pkg["resources"]:
        dist = URIRef(f"{pkg['url']}#{res['id']}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.identifier, Literal(res["id"])))
        g.add((dist, DCTERMS.title, Literal(res["name"], lang="vi")))
        g.add((dist, DCAT.accessURL, URIRef(pkg["url"])))
        g.add((dist, DCAT.downloadURL, URIRef(res["url"])))
        g.add((dist, DCAT.mediaType, Literal(res["mimetype"])))
        g.add((dist, DCTERMS["format"], FILE_TYPE[res["format"]]))
        g.add((dist, DCTERMS.license, license_))
        if res["last_modified"]:
            g.add((dist, DCTERMS.modified, Literal(res["last_modified"], datatype=XSD.dateTime)))
        if res["hash"]:
            g.add((dist, URIRef("http://spdx.org/rdf/terms#checksum"), Literal(res["hash"])))


def turtle(site: sel.Site, today: date) -> str:
    return graph(site, today).serialize(format="turtle")


def jsonld(site: sel.Site, today: date) -> str:
    context = {
        "dcat": str(DCAT),
        "dct": str(DCTERMS),
        "foaf": str(FOAF),
        "vcard": str(VCARD),
        "skos": str(SKOS),
        "xsd": str(XSD),
    }
    return graph(site, today).serialize(format="json-ld", context=context, indent=1)
