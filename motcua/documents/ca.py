"""The demo certificate authority: a root CA and one signing certificate per unit.

A province connects a real CA (a licensed public digital-signature provider) in production; the
demo generates its own with ``cryptography`` the first time a unit signs, under
``settings.MOTCUA_PKI_DIR`` (default ``var/pki/``), never in the repository. Private keys are
written with mode 0600 in a 0700 directory and are never logged.

Layout::

    var/pki/root-ca.pem            root certificate (public; the trust anchor for verifiers)
    var/pki/root-ca.key.pem        root key (0600)
    var/pki/units/<eid>.pem        a unit's signing certificate, issued by the root
    var/pki/units/<eid>.key.pem    its key (0600)

Everything is idempotent: existing files are read, not replaced. The certificates are backdated
to 2025-01-01 so that documents signed "in the past" (demo data, tests that travel in time) fall
inside their validity.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.conf import settings

from motcua.agencies.models import Unit

__all__ = [
    "Credentials",
    "ensure_root_ca",
    "ensure_unit_credentials",
    "pki_dir",
    "root_certificate_pem",
]

VALID_FROM = datetime(2025, 1, 1, tzinfo=UTC)
ROOT_YEARS = 20
UNIT_YEARS = 5
KEY_BITS = 2048
ROOT_NAME = "CA thử nghiệm Motcua (demo, không có giá trị pháp lý)"


@dataclass(frozen=True)
class Credentials:
    """Paths of a signer's key and certificate, and of the root that issued it."""

    key_path: Path
    cert_path: Path
    root_cert_path: Path

    def load_certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())


def pki_dir() -> Path:
    path = Path(settings.MOTCUA_PKI_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _write_private(path: Path, key: rsa.RSAPrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # O_EXCL: two processes racing to create the same key cannot both write it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


def _load_private(path: Path) -> PrivateKeyTypes:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _now() -> datetime:
    return datetime.now(UTC)


def ensure_root_ca() -> tuple[Path, Path]:
    """The demo root CA (key path, certificate path), created on first use."""
    base = pki_dir()
    key_path = base / "root-ca.key.pem"
    cert_path = base / "root-ca.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Motcua demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(_now() + timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    try:
        _write_private(key_path, key)
    except FileExistsError:  # another process won the race: use its CA
        return key_path, cert_path
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _file_stem(unit: Unit) -> str:
    return re.sub(r"[^\w.-]", "_", unit.eid_code)


def ensure_unit_credentials(unit: Unit) -> Credentials:
    """The signing key and certificate of ``unit`` (issued by the demo root on first use).

    The subject carries the unit's Vietnamese name in UTF-8 (CN and O), the province (ST) and the
    agency e-ID code (organizationIdentifier, R-ID-01), so a verifier sees who signed.
    """
    root_key_path, root_cert_path = ensure_root_ca()
    units = pki_dir() / "units"
    units.mkdir(exist_ok=True, mode=0o700)
    stem = _file_stem(unit)
    key_path = units / f"{stem}.key.pem"
    cert_path = units / f"{stem}.pem"
    creds = Credentials(key_path, cert_path, root_cert_path)
    if key_path.exists() and cert_path.exists():
        return creds
    root_key = _load_private(root_key_path)
    assert isinstance(root_key, rsa.RSAPrivateKey)
    root_cert = x509.load_pem_x509_certificate(root_cert_path.read_bytes())
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, unit.province.name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit.name),
        x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, unit.eid_code),
        x509.NameAttribute(NameOID.COMMON_NAME, unit.name),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(_now() + timedelta(days=365 * UNIT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: the unit stands behind the document
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
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    try:
        _write_private(key_path, key)
    except FileExistsError:
        return creds
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return creds


def root_certificate_pem() -> bytes:
    """The demo root certificate (public), for verifiers who want to trust it."""
    return ensure_root_ca()[1].read_bytes()
