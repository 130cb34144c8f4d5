"""VietQR bank-transfer codes: an EMVCo merchant-presented QR payload (NAPAS 247).

Pure (standard library only). The payload is a list of ID-length-value fields (EMV QRCPS-MPM):

* ``00`` payload format ``01``; ``01`` point of initiation ``12`` (dynamic: one amount, one use);
* ``38`` merchant account information for NAPAS: ``00`` GUID ``A000000727``, ``01`` beneficiary
  (``00`` acquirer/bank BIN, ``01`` account number), ``02`` service ``QRIBFTTA`` (transfer to an
  account);
* ``53`` currency ``704`` (VND), ``54`` amount, ``58`` country ``VN``;
* ``62`` additional data, ``08`` purpose of transaction (the transfer content the fee office
  matches on);
* ``63`` CRC-16/CCITT-FALSE over the whole payload *including* the ``6304`` that introduces it.
"""

from __future__ import annotations

import re

__all__ = [
    "BANK_NAMES",
    "NAPAS_GUID",
    "VietQRError",
    "build_payload",
    "crc16_ccitt_false",
    "parse_tlv",
    "verify_crc",
]

NAPAS_GUID = "A000000727"

#: The NAPAS bank identification numbers (BIN, field 38/01/00) of the banks that commonly hold
#: a state fee account, for naming the beneficiary's bank on the payment page (issue #14 item 4).
BANK_NAMES = {
    "970405": "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam (Agribank)",
    "970415": "Ngân hàng TMCP Công Thương Việt Nam (VietinBank)",
    "970418": "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)",
    "970436": "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)",
    "970422": "Ngân hàng TMCP Quân đội (MB)",
    "970407": "Ngân hàng TMCP Kỹ thương Việt Nam (Techcombank)",
    "970416": "Ngân hàng TMCP Á Châu (ACB)",
    "970432": "Ngân hàng TMCP Việt Nam Thịnh Vượng (VPBank)",
    "970403": "Ngân hàng TMCP Sài Gòn Thương Tín (Sacombank)",
    "970423": "Ngân hàng TMCP Tiên Phong (TPBank)",
}
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
_PURPOSE_MAX = 25
_ASCII_PURPOSE = re.compile(r"^[A-Za-z0-9 ._-]*$")


class VietQRError(ValueError):
    """A VietQR payload cannot be built or read."""


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"Trường {tag} quá dài ({len(value)} ký tự)")
    return f"{tag}{len(value):02d}{value}"


def build_payload(*, bank_bin: str, account: str, amount: int, purpose: str) -> str:
    """The VietQR payload for transferring ``amount`` VND to ``account`` at bank ``bank_bin``."""
    if not re.fullmatch(r"\d{6}", bank_bin):
        raise VietQRError("Mã BIN ngân hàng phải gồm 6 chữ số")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", account):
        raise VietQRError("Số tài khoản không hợp lệ")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise VietQRError("Số tiền phải là số nguyên dương (đồng)")
    if len(purpose) > _PURPOSE_MAX or not _ASCII_PURPOSE.match(purpose):
        raise VietQRError("Nội dung chuyển khoản: tối đa 25 ký tự không dấu")
    beneficiary = _field("00", bank_bin) + _field("01", account)
    merchant = (
        _field("00", NAPAS_GUID) + _field("01", beneficiary) + _field("02", SERVICE_TO_ACCOUNT)
    )
    body = (
        _field("00", "01")
        + _field("01", "12")
        + _field("38", merchant)
        + _field("53", CURRENCY_VND)
        + _field("54", str(amount))
        + _field("58", "VN")
        + (_field("62", _field("08", purpose)) if purpose else "")
        + "6304"
    )
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_tlv(payload: str) -> dict[str, str]:
    """Top-level fields of a payload (tag → value); :class:`VietQRError` if malformed."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(payload):
        if at + 4 > len(payload) or not payload[at + 2 : at + 4].isdigit():
            raise VietQRError("Mã QR không đúng cấu trúc EMVCo")
        tag, size = payload[at : at + 2], int(payload[at + 2 : at + 4])
        value = payload[at + 4 : at + 4 + size]
        if len(value) != size:
            raise VietQRError("Mã QR bị cắt cụt")
        fields[tag] = value
        at += 4 + size
    return fields


def verify_crc(payload: str) -> bool:
    """True when the last field is ``63`` and its CRC matches the rest (incl. ``6304``)."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    expected = crc16_ccitt_false(payload[:-4].encode("ascii"))
    return payload[-4:].upper() == f"{expected:04X}"
