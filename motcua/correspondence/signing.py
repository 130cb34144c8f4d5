"""The two PAdES signatures of an outgoing document (R-DOC-10) and the clerk's number stamp.

1. The competent person signs first: an approval signature (not a certification, so that the
   body may sign after), field ``ChuKyNguoiKy``, appearance the signer's blue signature image.
2. At release the clerk writes the number and the date line into their blanks: two text fields
   added empty in the signer's revision and filled in the clerk's incremental update (filling a
   field is an allowed change after an approval signature for strict verifiers such as
   pyHanko's diff analysis; drawing into the page content is not), and applies the body's
   signature, field ``ChuKyCoQuan``, appearance the red seal image overlapping the left third
   of the signer's image.

Both are PAdES B-B by pyHanko with keys of the demo CA (``motcua.documents.ca``): the body's
unit key, and a personal key issued here to the signer. ``pdfsig`` verifies both.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from fpdf import FPDF
from fpdf.enums import Align
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.content import ImportedPdfPage, PdfContent
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, BoxConstraints, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticContentStamp, StaticStampStyle

from motcua.agencies.models import Unit
from motcua.core.fonts import FONT_DIR, FONT_FILES
from motcua.core.text import nfc
from motcua.correspondence.rendering import Box, Layout, add_serif, serif_font_path
from motcua.documents import ca

SIGNER_FIELD = "ChuKyNguoiKy"
BODY_FIELD = "ChuKyCoQuan"
BLUE = (20, 60, 200, 255)
RED = (220, 20, 30, 255)
PX_PER_PT = 4  # image resolution of the appearances


#: Backgrounds fill their box exactly (pyHanko's default keeps a 5 pt margin and shrinks).
FILL = SimpleBoxLayoutRule(
    x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID, margins=Margins()
)


def _font_path(style: str = "") -> str:
    serif = serif_font_path(style)
    return str(serif) if serif else str(FONT_DIR / FONT_FILES[style])


def person_credentials(user_id: int, full_name: str, unit: Unit) -> ca.Credentials:
    """The demo signing key of a person (issued by the demo root on first use); the subject
    carries the name, the body and its agency code."""
    root_key_path, root_cert_path = ca.ensure_root_ca()
    people = ca.pki_dir() / "people"
    people.mkdir(exist_ok=True, mode=0o700)
    stem = re.sub(r"[^\w.-]", "_", f"{unit.eid_code}-{user_id}")
    key_path, cert_path = people / f"{stem}.key.pem", people / f"{stem}.pem"
    creds = ca.Credentials(key_path, cert_path, root_cert_path)
    if key_path.exists() and cert_path.exists():
        return creds
    root_key = serialization.load_pem_private_key(root_key_path.read_bytes(), password=None)
    assert isinstance(root_key, rsa.RSAPrivateKey)
    root_cert = x509.load_pem_x509_certificate(root_cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=ca.KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit.name),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, unit.eid_code),
            x509.NameAttribute(NameOID.COMMON_NAME, full_name or f"user {user_id}"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ca.VALID_FROM)
        .not_valid_after(ca.VALID_FROM + timedelta(days=365 * 10))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return creds
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return creds


def signature_image(name: str, box: Box) -> Image.Image:
    """R-DOC-10: the signer's image, blue on a transparent background."""
    w, h = int(box.w * PX_PER_PT), int(box.h * PX_PER_PT)
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(_font_path("I"), size=int(h * 0.35))
    draw.text(
        (w / 2, h / 2),
        name.rsplit(maxsplit=1)[-1] if name else "",
        fill=BLUE,
        font=font,
        anchor="mm",
    )
    draw.line([(w * 0.1, h * 0.78), (w * 0.9, h * 0.62)], fill=BLUE, width=max(2, h // 40))
    return image


def seal_image(body: str, box: Box) -> Image.Image:
    """R-DOC-10: the body's seal, red, real size, transparent background."""
    d = int(min(box.w, box.h) * PX_PER_PT)
    image = Image.new("RGBA", (d, d), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    ring = max(3, d // 60)
    draw.ellipse([ring, ring, d - ring, d - ring], outline=RED, width=ring)
    inner = d // 8
    draw.ellipse([inner, inner, d - inner, d - inner], outline=RED, width=max(2, ring // 2))
    font = ImageFont.truetype(_font_path("B"), size=max(10, d // 12))
    words = body.upper().split()
    half = (len(words) + 1) // 2
    for i, line in enumerate((" ".join(words[:half]), " ".join(words[half:]))):
        draw.text((d / 2, d / 2 + (i - 0.5) * d / 9), line, fill=RED, font=font, anchor="mm")
    draw.regular_polygon((d / 2, d / 2 - d / 4.2, d / 22), 5, fill=RED)
    return image


def _signer(creds: ca.Credentials) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        key_file=str(creds.key_path),
        cert_file=str(creds.cert_path),
        ca_chain_files=(str(creds.root_cert_path),),
    )
    if signer is None:  # pragma: no cover - pyHanko logs why; the files are ours
        raise RuntimeError("Không đọc được khóa ký")
    return signer  # type: ignore[no-any-return]


def _sign(
    writer: IncrementalPdfFileWriter,
    creds: ca.Credentials,
    *,
    field_name: str,
    box: Box,
    background: PdfContent,
    reason: str,
    location: str,
    name: str,
) -> bytes:
    spec = fields.SigFieldSpec(field_name, on_page=box.page, box=box.as_tuple())
    fields.append_signature_field(writer, spec)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=name,
    )
    style = StaticStampStyle(
        background=background,
        border_width=0,
        background_opacity=1.0,
        background_layout=FILL,
    )
    pdf_signer = signers.PdfSigner(meta, signer=_signer(creds), stamp_style=style)
    out = pdf_signer.sign_pdf(writer)
    return bytes(out.getvalue())


def _image(image: Image.Image, box: Box) -> PdfImage:
    return PdfImage(image, box=BoxConstraints(box.w, box.h))


def sign_as_signer(
    pdf: bytes, layout: Layout, creds: ca.Credentials, *, name: str, location: str, reason: str
) -> bytes:
    """The competent person's signature (R-DOC-10: first), over the blank number and date
    fields the clerk fills at release."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    _add_blank_field(writer, NUMBER_FIELD, layout.number_box)
    _add_blank_field(writer, DATE_FIELD, layout.date_box)
    return _sign(
        writer,
        creds,
        field_name=SIGNER_FIELD,
        box=layout.signer_box,
        background=_image(signature_image(name, layout.signer_box), layout.signer_box),
        reason=reason,
        location=location,
        name=name,
    )


def _text_pdf(box: Box, text: str, *, italic: bool) -> bytes:
    """A page the size of ``box`` with ``text`` centred (13 pt serif, R-DOC-01), for stamping:
    real embedded text, like the rest of the document."""
    mm = 25.4 / 72
    pdf = FPDF(unit="mm", format=(box.w * mm, box.h * mm))
    pdf.set_margins(0, 0, 0)
    pdf.set_auto_page_break(False)
    family = add_serif(pdf)
    pdf.add_page()
    pdf.set_font(family, "I" if italic else "", 13)
    pdf.set_xy(0, 0)
    pdf.cell(box.w * mm, box.h * mm, nfc(text), align=Align.C)
    return bytes(pdf.output())


@contextmanager
def _text_stamp(
    writer: IncrementalPdfFileWriter, box: Box, text: str, *, italic: bool
) -> Iterator[StaticContentStamp]:
    """A stamp of ``text`` set in the document's serif, the size of ``box``; usable (applied to
    the page or registered as a field's appearance) while the context is open."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(_text_pdf(box, text, italic=italic))
        handle.flush()
        style = StaticStampStyle(
            background=ImportedPdfPage(handle.name),  # type: ignore[no-untyped-call]
            border_width=0,
            background_opacity=1.0,
            background_layout=FILL,
        )
        yield StaticContentStamp(writer, style, BoxConstraints(width=box.w, height=box.h))


def _stamp_text(writer: IncrementalPdfFileWriter, box: Box, text: str, *, italic: bool) -> None:
    """Write ``text`` into the blank ``box`` of the page (an incremental update)."""
    with _text_stamp(writer, box, text, italic=italic) as stamp:
        stamp.apply(box.page, round(box.x), round(box.y))


#: The blank text fields the clerk fills at release (R-DOC-05, R-DOC-04).
NUMBER_FIELD = "SoKyHieu"
DATE_FIELD = "NgayBanHanh"
#: Annotation flag Print (bit 3); field flag ReadOnly (bit 1).
PRINTED = 4
READ_ONLY = 1


def _untyped(factory: Any, *args: Any) -> Any:
    """pyHanko's generic PDF objects are untyped constructors."""
    return factory(*args)


def _add_blank_field(writer: IncrementalPdfFileWriter, name: str, box: Box) -> None:
    """An empty text field over the blank ``box`` (a merged field and widget), added in the
    signer's revision so that the clerk later only fills it: strict verifiers (pyHanko's diff
    analysis) class filling a field after an approval signature as an allowed change, whereas
    drawing into the page content is not."""
    root = writer.root
    if "/AcroForm" not in root:
        form = _untyped(generic.DictionaryObject, {pdf_name("/Fields"): generic.ArrayObject()})
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        _untyped(writer.update_root)
    form = root["/AcroForm"]
    page_ref = _untyped(writer.find_page_for_modification, box.page)[0]
    rect = generic.ArrayObject(
        _untyped(generic.FloatObject, v) for v in (box.x, box.y, box.x + box.w, box.y + box.h)
    )
    field = writer.add_object(
        _untyped(
            generic.DictionaryObject,
            {
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/FT"): pdf_name("/Tx"),
                pdf_name("/T"): generic.TextStringObject(name),
                pdf_name("/Rect"): rect,
                pdf_name("/F"): _untyped(generic.NumberObject, PRINTED),
                # ReadOnly: no reader lets anyone type into it; the clerk's release fills it
                pdf_name("/Ff"): _untyped(generic.NumberObject, READ_ONLY),
                pdf_name("/P"): page_ref,
            },
        )
    )
    fields_array = form["/Fields"]
    fields_array.append(field)
    writer.update_container(fields_array)
    writer.update_container(form)
    page = page_ref.get_object()
    if "/Annots" in page:
        annotations = page["/Annots"]
        annotations.append(field)
        writer.update_container(annotations)
    else:
        page[pdf_name("/Annots")] = generic.ArrayObject([field])
    writer.update_container(page)


def _fill_field(
    writer: IncrementalPdfFileWriter, name: str, box: Box, text: str, *, italic: bool
) -> bool:
    """Fill the blank text field ``name`` with ``text`` set in the document's serif (its value
    and its appearance). False when the document has no such field (signed before the fields
    existed)."""
    form = writer.root.get("/AcroForm")  # a reference: .get() does not follow it
    for ref in form.get_object()["/Fields"] if form is not None else []:
        field = ref.get_object()
        if field.get("/T") != name:
            continue
        with _text_stamp(writer, box, text, italic=italic) as stamp:
            appearance = stamp.register()
        field[pdf_name("/V")] = generic.TextStringObject(nfc(text))
        field[pdf_name("/AP")] = _untyped(generic.DictionaryObject, {pdf_name("/N"): appearance})
        writer.update_container(field)
        return True
    return False


def number_and_seal(
    pdf: bytes,
    layout: Layout,
    creds: ca.Credentials,
    *,
    number_line: str,
    date_line: str,
    body: str,
    location: str,
    reason: str,
) -> bytes:
    """R-DOC-05/R-DOC-10: the clerk writes the number and the date, then signs as the body."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for name, box, line, italic in (
        (NUMBER_FIELD, layout.number_box, number_line, False),
        (DATE_FIELD, layout.date_box, date_line, True),
    ):
        if not _fill_field(writer, name, box, line, italic=italic):
            _stamp_text(writer, box, line, italic=italic)  # signed before the fields existed
    return _sign(
        writer,
        creds,
        field_name=BODY_FIELD,
        box=layout.seal_box,
        background=_image(seal_image(body, layout.seal_box), layout.seal_box),
        reason=reason,
        location=location,
        name=body,
    )


ATTACHMENT_FIELD = "ChuKyCoQuanPhuLuc"


def _lines_pdf(box: Box, lines: list[str]) -> bytes:
    """Lines of 10 pt black serif text filling ``box`` (R-DOC-11)."""
    mm = 25.4 / 72
    pdf = FPDF(unit="mm", format=(box.w * mm, box.h * mm))
    pdf.set_margins(1, 1, 1)
    pdf.set_auto_page_break(False)
    family = add_serif(pdf)
    pdf.add_page()
    pdf.set_font(family, "", 10)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(1, 1)
    for line in lines:
        pdf.cell(box.w * mm - 2, 4.2, nfc(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def seal_attachment(
    pdf: bytes,
    creds: ca.Credentials,
    *,
    lines: list[str],
    body: str,
    location: str,
    field_name: str = ATTACHMENT_FIELD,
    top: float = 42.0,
    width: float = 200.0,
) -> bytes:
    """R-DOC-11: an attachment in a separate file is signed by the body only, at the top right
    of its first page, with no image: the main document's number and symbol and the signing
    time, 10 pt black. An electronic copy (R-DOC-18) is signed the same way, giving the kind
    of copy, its number, the body and the signing time (its own ``field_name``)."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    pages = reader.root["/Pages"]
    first = pages["/Kids"][0]
    media = [float(v) for v in (first.get("/MediaBox") or pages["/MediaBox"])]  # inherited
    x1, y1 = media[2], media[3]
    w, h = width, 14.0 * len(lines) + 6
    box = Box(0, x1 - w - 42, y1 - h - top, w, h)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(_lines_pdf(box, lines))
        handle.flush()
        return _sign(
            writer, creds, field_name=field_name, box=box,
            background=ImportedPdfPage(handle.name),  # type: ignore[no-untyped-call]
            reason=lines[0], location=location, name=body,
        )  # fmt: skip
