"""VietQR payloads: EMVCo fields, CRC-16/CCITT-FALSE, and a QR image that decodes back."""

from __future__ import annotations

import io

import pytest
import segno
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from motcua.payments.vietqr import (
    NAPAS_GUID,
    VietQRError,
    build_payload,
    crc16_ccitt_false,
    parse_tlv,
    verify_crc,
)


def decode_png(payload: str) -> str:
    buffer = io.BytesIO()
    segno.make_qr(payload, error="m").save(buffer, kind="png", scale=6, border=4)
    codes = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(buffer.getvalue())),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
    )
    assert len(codes) == 1
    return str(codes[0].text)


def test_the_crc_is_ccitt_false() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogue check value


def test_a_payload_has_the_napas_fields_and_decodes_from_the_image() -> None:
    payload = build_payload(
        bank_bin="970415", account="113000092026", amount=50_000, purpose="MC0123456789AB"
    )
    decoded = decode_png(payload)
    assert decoded == payload
    assert verify_crc(decoded)
    top = parse_tlv(decoded)
    assert top["00"] == "01"
    assert top["01"] == "12"
    assert top["53"] == "704"
    assert top["54"] == "50000"
    assert top["58"] == "VN"
    merchant = parse_tlv(top["38"])
    assert merchant["00"] == NAPAS_GUID
    assert merchant["02"] == "QRIBFTTA"
    assert parse_tlv(merchant["01"]) == {"00": "970415", "01": "113000092026"}
    assert parse_tlv(top["62"]) == {"08": "MC0123456789AB"}
    assert decoded.endswith("6304" + top["63"])
    assert top["63"] == f"{crc16_ccitt_false(decoded[:-4].encode()):04X}"


def test_a_changed_amount_breaks_the_crc() -> None:
    payload = build_payload(bank_bin="970415", account="1130", amount=50_000, purpose="X")
    assert not verify_crc(payload.replace("540550000", "540590000"))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"bank_bin": "97041", "account": "1", "amount": 1, "purpose": ""},
        {"bank_bin": "970415", "account": "1", "amount": 0, "purpose": ""},
        {"bank_bin": "970415", "account": "1", "amount": 1, "purpose": "Nộp phí có dấu"},
        {"bank_bin": "970415", "account": "1", "amount": 1, "purpose": "X" * 26},
    ],
)
def test_it_refuses_invalid_input(kwargs: dict[str, object]) -> None:
    with pytest.raises(VietQRError):
        build_payload(**kwargs)  # type: ignore[arg-type]


@given(
    amount=st.integers(min_value=1, max_value=10**12),
    account=st.from_regex(r"[0-9]{6,19}", fullmatch=True),
    purpose=st.from_regex(r"[A-Z0-9]{0,25}", fullmatch=True),
)
def test_every_payload_round_trips(amount: int, account: str, purpose: str) -> None:
    payload = build_payload(bank_bin="970436", account=account, amount=amount, purpose=purpose)
    assert verify_crc(payload)
    top = parse_tlv(payload)
    assert int(top["54"]) == amount
    assert parse_tlv(parse_tlv(top["38"])["01"])["01"] == account
