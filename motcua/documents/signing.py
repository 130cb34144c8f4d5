"""PAdES signatures with pyHanko: sign PDF bytes as a unit, and validate a signed PDF.

Level: PAdES baseline **B-B** (CMS with ``signing-certificate-v2``, the signer's certificate and
its chain embedded, SubFilter ``ETSI.CAdES.detached``). B-T needs a time-stamping authority and
B-LT revocation data fetched from it; the platform never reaches the network to sign, so a
province that wants B-T/B-LT configures its TSA in a later step (docs/decisions).

Validation is offline too: the demo root is the only trust anchor, fetching is off, and missing
revocation information is tolerated (``soft-fail``) because the demo CA publishes none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.documents.ca import Credentials

__all__ = ["SignatureCheck", "sign_pdf", "validate_pdf"]

FIELD_NAME = "ChuKySoDonVi"


def sign_pdf(
    pdf: bytes,
    creds: Credentials,
    *,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    """``pdf`` signed PAdES B-B with the unit key of ``creds`` (an incremental update)."""
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        key_file=str(creds.key_path),
        cert_file=str(creds.cert_path),
        ca_chain_files=(str(creds.root_cert_path),),
    )
    if signer is None:  # pragma: no cover - pyHanko logs why; the files are ours
        msg = "Không đọc được khóa ký của đơn vị"
        raise RuntimeError(msg)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=signer_name,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko concluded about the first signature of a PDF."""

    present: bool
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature matches the signer's certificate
    trusted: bool  # the certificate chains to the demo root
    unmodified: bool  # nothing was added after signing (or only allowed changes)
    signer: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.present and self.intact and self.valid and self.trusted and self.unmodified


def validation_context(root_cert_path: Path) -> ValidationContext:
    return ValidationContext(
        trust_roots=[load_cert_from_pemder(str(root_cert_path))],  # type: ignore[no-untyped-call]
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def validate_pdf(pdf: bytes, root_cert_path: Path) -> SignatureCheck:
    """Validate the first embedded signature of ``pdf`` against the demo root only."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return SignatureCheck(False, False, False, False, False)
    if not signatures:
        return SignatureCheck(False, False, False, False, False)
    status = validate_pdf_signature(signatures[0], validation_context(root_cert_path))
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    return SignatureCheck(
        present=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        unmodified=bool(status.docmdp_ok)
        and status.coverage is not None
        and status.coverage.name in {"ENTIRE_FILE", "ENTIRE_REVISION"}
        and bool(status.bottom_line),
        signer=signer,
        signed_at=status.signer_reported_dt,
    )
