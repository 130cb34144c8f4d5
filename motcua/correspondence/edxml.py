"""The edXML package of a released document (R-DOC-13; QCVN 102:2016 as seen in public
implementations [S]): a header addressed by agency codes (From, To, Code {CodeNumber,
CodeNotation}, PromulgationInfo, DocumentType, Subject, SignerInfo, DueDate, ToPlaces,
OtherInfo {Priority, …}, SteeringType, DocumentId, ResponseFor, TraceHeaderList, Bussiness
{BussinessDocType: 0 new, 1 revoke, 2 update, 3 replace}), then the signed files in base64.

The package is built once, at release, and stored: ``motcua document edxml`` writes it as sent.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
E = "{%s}" % NS  # noqa: UP031 - Clark notation
#: R-DOC-13 business document types [S]
NEW, REVOKE, UPDATE, REPLACE = 0, 1, 2, 3
#: Appendix VI Priority: 0 normal, 1 urgent, 2 very urgent, 3 flash [S]
PRIORITY = {"normal": 0, "khan": 1, "thuong_khan": 2, "hoa_toc": 3}


@dataclass(frozen=True)
class Organ:
    organ_id: str  # the agency code (OrganId; R-ID-01, QCVN 102)
    name: str


@dataclass(frozen=True)
class PackageData:
    document_id: str
    sender: Organ
    to: list[Organ]
    number: int
    notation: str
    place: str
    promulgated_on: str  # YYYY-MM-DD
    type_code: str
    type_name: str
    subject: str
    signer_competence: str
    signer_position: str
    signer_name: str
    priority: str
    due_date: str
    pages: int
    business_type: int
    business_reason: str
    sent_at: datetime
    file_name: str
    pdf: bytes
    response_for: str = ""
    #: R-DOC-09/13 business type 3: the DocumentId this document replaces
    replaces: str = ""
    #: R-DOC-09: the DocumentId a correction letter corrects [I: Motcua's OtherInfo element]
    corrects: str = ""
    #: Appendices in separate files, each signed by the body (R-DOC-11): (name, PDF)
    extra_files: list[tuple[str, bytes]] = field(default_factory=list)


def _sub(parent: ET.Element, tag: str, text: str | int | None = None) -> ET.Element:
    node = ET.SubElement(parent, E + tag)
    if text is not None:
        node.text = str(text)
    return node


def _organ(parent: ET.Element, tag: str, organ: Organ) -> None:
    node = _sub(parent, tag)
    _sub(node, "OrganId", organ.organ_id)
    _sub(node, "OrganName", organ.name)


def _business(header: ET.Element, data: PackageData) -> None:
    business = _sub(header, "Bussiness")  # sic: the spelling of the public schema [S]
    _sub(business, "BussinessDocType", data.business_type)
    _sub(business, "BussinessDocReason", data.business_reason)
    if data.replaces:  # R-DOC-13 business type 3 [S]: the documents replaced
        replacements = _sub(business, "ReplacementInfoList")
        info = _sub(replacements, "ReplacementInfo")
        _sub(info, "DocumentId", data.replaces)


def build_package(data: PackageData) -> bytes:
    """The edXML envelope as UTF-8 bytes (deterministic for the same data)."""
    ET.register_namespace("edXML", NS)
    root = ET.Element(E + "edXMLEnvelope")
    header = _sub(root, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", data.sender)
    for organ in data.to:
        _organ(message, "To", organ)
    _sub(message, "DocumentId", data.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", f"{data.number:02d}")
    _sub(code, "CodeNotation", data.notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", data.place)
    _sub(promulgation, "PromulgationDate", data.promulgated_on)
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", data.type_code)
    _sub(doc_type, "TypeName", data.type_name)
    _sub(message, "Subject", data.subject)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", data.signer_competence)
    _sub(signer, "Position", data.signer_position)
    _sub(signer, "FullName", data.signer_name)
    _sub(message, "DueDate", data.due_date)
    places = _sub(message, "ToPlaces")
    for organ in data.to:
        _sub(places, "Place", organ.name)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", PRIORITY.get(data.priority, 0))
    _sub(other, "PageAmount", data.pages)
    if data.corrects:
        _sub(other, "CorrectionFor", data.corrects)
    _sub(message, "SteeringType", 0)
    _sub(message, "ResponseFor", data.response_for)
    traces = _sub(header, "TraceHeaderList")
    trace = _sub(traces, "TraceHeader")
    _sub(trace, "OrganId", data.sender.organ_id)
    _sub(trace, "Timestamp", data.sent_at.isoformat(timespec="seconds"))
    _business(header, data)
    attachments = _sub(root, "AttachmentEncoded")
    files = [(data.file_name, data.pdf), *data.extra_files]
    for index, (name, content) in enumerate(files, start=1):
        attachment = _sub(attachments, "Attachment")
        _sub(attachment, "ContentId", index)
        _sub(attachment, "ContentType", "application/pdf")
        _sub(attachment, "AttachmentName", name)
        _sub(attachment, "ContentTransferEncoded", base64.b64encode(content).decode("ascii"))
    ET.indent(root)
    return bytes(ET.tostring(root, xml_declaration=True, encoding="UTF-8"))


@dataclass(frozen=True)
class ReceivedPackage:
    document_id: str
    sender: Organ
    to: list[str]
    number: int | None
    notation: str
    promulgated_on: str
    type_code: str
    subject: str
    priority: int
    business_type: int
    reason: str
    pdf: bytes
    extra_files: list[tuple[str, bytes]]
    response_for: str = ""  # R-DOC-17: the DocumentId this document answers
    replaces: str = ""  # R-DOC-09/13: the DocumentId this document replaces (type 3)
    corrects: str = ""  # R-DOC-09: the DocumentId this correction letter corrects
    pages: int = 0


def parse_package(xml: bytes) -> ReceivedPackage:
    """Read a package. The standard library's parser never fetches external entities, and its
    Expat (≥ 2.4.1) refuses entity-expansion bombs."""
    root = ET.fromstring(xml)  # noqa: S314 - see above

    def text(path: str) -> str:
        node = root.find(path, {"e": NS})
        return (node.text or "") if node is not None else ""

    number = text(".//e:Code/e:CodeNumber")
    files = [
        (
            a.findtext("e:AttachmentName", "", {"e": NS}),
            base64.b64decode(a.findtext("e:ContentTransferEncoded", "", {"e": NS})),
        )
        for a in root.findall(".//e:AttachmentEncoded/e:Attachment", {"e": NS})
    ]
    return ReceivedPackage(
        document_id=text(".//e:DocumentId"),
        sender=Organ(text(".//e:From/e:OrganId"), text(".//e:From/e:OrganName")),
        to=[n.text or "" for n in root.findall(".//e:To/e:OrganId", {"e": NS})],
        number=int(number) if number.isdigit() else None,
        notation=text(".//e:Code/e:CodeNotation"),
        promulgated_on=text(".//e:PromulgationInfo/e:PromulgationDate"),
        type_code=text(".//e:DocumentType/e:Type"),
        subject=text(".//e:Subject"),
        priority=int(text(".//e:OtherInfo/e:Priority") or 0),
        business_type=int(text(".//e:Bussiness/e:BussinessDocType") or 0),
        reason=text(".//e:Bussiness/e:BussinessDocReason"),
        pdf=files[0][1] if files else b"",
        extra_files=files[1:],
        response_for=text(".//e:ResponseFor"),
        replaces=text(".//e:Bussiness/e:ReplacementInfoList/e:ReplacementInfo/e:DocumentId"),
        corrects=text(".//e:OtherInfo/e:CorrectionFor"),
        pages=int(text(".//e:OtherInfo/e:PageAmount") or 0),
    )
