"""Copies of documents: sao y, trích sao, sao lục (R-DOC-18; Decree 30/2020 Art. 25–27,
Appendix I part II).

An electronic copy is made by the clerk of the body that holds the document, in one step: it
draws the next number of the body's yearly copy series (from 01 on 1 January, gap-free like
releases, R-DOC-05), and the body signs it (PAdES, no image) at the top right of the first
page with the kind of copy, its number, the body and the signing time in Vietnam time (ISO
8601). A sao y or sao lục keeps the original file (its signatures stay verifiable: the body's
signature is an incremental update); a trích sao takes the chosen pages into a new file.
A sao lục is made from a sao y (Art. 25).
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile

from motcua.accounts.models import Role, User
from motcua.core.actions import action
from motcua.core.clock import local_today, now, to_local
from motcua.core.errors import ValidationFailed
from motcua.correspondence import numbering
from motcua.correspondence.actions import _profile, require_role
from motcua.correspondence.models import Direction, Document, Relation
from motcua.correspondence.states import State
from motcua.correspondence.trail import record
from motcua.correspondence.types import COPY_SERIES, doc_type, number_text, symbol
from motcua.documents import ca

#: R-DOC-18: the kind of copy as printed on it (Appendix I part II)
COPY_LABELS = {"ban_sao_y": "SAO Y", "ban_trich_sao": "TRÍCH SAO", "ban_sao_luc": "SAO LỤC"}
#: the documents a body holds that may be copied (not drafts, not returned, not revoked)
COPYABLE = frozenset(
    {
        State.RELEASED,
        State.REPLACED,
        State.REGISTERED,
        State.ASSIGNED,
        State.HANDLING,
        State.COMPLETED,
    }
)


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader  # noqa: PLC0415 - PDF library loads when a copy is made

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _extract(pdf: bytes, pages: list[int]) -> bytes:
    """The chosen pages (1-based, in the given order) in a new file (trích sao)."""
    from pypdf import PdfReader, PdfWriter  # noqa: PLC0415 - as above

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for page in pages:
        writer.add_page(reader.pages[page - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _check(original: Document, kind: str, pages: list[int] | None) -> None:
    if kind not in COPY_LABELS:
        raise ValidationFailed(
            "Hình thức sao không hợp lệ (sao y, trích sao, sao lục).",
            "Unknown kind of copy (sao y, trích sao, sao lục).",
            field="kind",
        )
    if original.is_secret:
        raise ValidationFailed(
            "Văn bản mật không sao trên hệ thống (R-DOC-12).",
            "Secret documents are not copied here (R-DOC-12).",
        )
    if original.state not in COPYABLE or not original.pdf:
        raise ValidationFailed(
            "Chỉ sao văn bản điện tử đã phát hành hoặc đã vào sổ, chưa bị thu hồi (R-DOC-18).",
            "Only a released or registered electronic document, not revoked, can be copied.",
        )
    from_copy = original.relation == Relation.COPY
    if (kind == "ban_sao_luc") != (original.type_code == "ban_sao_y" and from_copy):
        raise ValidationFailed(
            "Sao lục được thực hiện từ bản sao y; sao y và trích sao từ bản chính.",
            "A sao lục is made from a sao y; sao y and trích sao from the original.",
            field="kind",
        )
    if kind == "ban_trich_sao" and not pages:
        raise ValidationFailed(
            "Trích sao: hãy chọn các trang cần sao.",
            "An excerpt copy needs the pages to copy.",
            field="pages",
        )


@action
def do_copy_document(
    original: Document, *, kind: str, acting_user: User, pages: list[int] | None = None
) -> Document:
    """R-DOC-18: the clerk makes an electronic copy of a document the body holds."""
    from motcua.correspondence import signing  # noqa: PLC0415 - PDF, font and signing libraries load when a document is signed

    unit = original.owner_unit
    require_role(acting_user, unit, (Role.CLERK,))
    _check(original, kind, pages)
    with original.pdf.open("rb") as handle:
        source = handle.read()
    total = _pages(source)
    if kind == "ban_trich_sao":
        chosen = pages or []
        if any(not 1 <= p <= total for p in chosen) or len(set(chosen)) != len(chosen):
            raise ValidationFailed(
                f"Trang cần sao phải từ 1 đến {total}, không trùng nhau.",
                f"Pages to copy are 1 to {total}, each once.",
                field="pages",
            )
        source, total = _extract(source, chosen), len(chosen)
    profile = _profile(unit)
    copy_type = doc_type(kind)
    today, moment = local_today(), now()
    number = numbering.next_document_number(unit.pk, today.year, COPY_SERIES)
    sym = symbol(copy_type, profile.abbreviation)
    lines = [  # in the top margin (20 mm), above the national title
        f"{COPY_LABELS[kind]}   Số: {number_text(number)}/{sym}",
        unit.name,
        to_local(moment).isoformat(timespec="seconds"),
    ]
    sealed = signing.seal_attachment(
        source, ca.ensure_unit_credentials(unit), lines=lines, body=unit.name,
        location=profile.place, field_name=f"BanSao{today.year}{number:05d}", top=4, width=240,
    )  # fmt: skip
    copy = Document.objects.create(
        direction=Direction.OUTGOING,
        state=State.RELEASED,
        owner_unit=unit,
        type_code=copy_type.code,
        series=COPY_SERIES,
        number=number,
        year=today.year,
        symbol=sym,
        issued_on=today,
        summary=original.summary,
        issuing_body_code=unit.eid_code,
        issuing_body_name=unit.name,
        superior_body_name=profile.superior_name,
        place=profile.place,
        pages=total,
        signed_at=moment,
        released_at=moment,
        sha256=hashlib.sha256(sealed).hexdigest(),
        original=original,
        relation=Relation.COPY,
        created_by=acting_user,
    )
    copy.pdf.save(f"{copy.pk}.pdf", ContentFile(sealed), save=False)
    Document.objects.filter(pk=copy.pk).update(pdf=copy.pdf.name)
    payload = {"number": number, "symbol": sym, "kind": kind, "sha256": copy.sha256,
               "copy_of": str(original.pk), "pages": pages or []}  # fmt: skip
    record(copy, "document:state:released", actor=acting_user, to_state=State.RELEASED,
           payload=payload)  # fmt: skip
    record(original, "document:copied", actor=acting_user,
           payload={"copy": str(copy.pk), "kind": kind, "number": number})  # fmt: skip
    return copy
