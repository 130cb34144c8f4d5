"""API schemas shared by every app's router (the error envelope lives in core so any app may
document it without importing the assembled API)."""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import AfterValidator, StringConstraints
from vn_ident import is_valid_phone


class ErrorOut(Schema):
    """The one error envelope: Vietnamese message first, English second."""

    code: str
    message: str
    message_en: str
    details: dict[str, Any] = {}


#: The error answers every router documents beside its success (one envelope, ``ErrorOut``).
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


# --- Validation at the edge (issue #12 item 5) -------------------------------------------------
# Every field of every API input is bounded like the column it ends in: numbers by range, texts
# by the model's max_length, no NUL bytes, NFC. A bad value is refused with a precise Vietnamese
# message (``vietnamese_error``) before anything is read or written.

#: Largest amount of money (VND) an input may carry: a thousand billion đồng, far above any fee.
MAX_AMOUNT_VND = 10**12
#: Largest page count of one component (a land file of several hundred pages still fits).
MAX_PAGES = 10_000
#: Largest number of items in a list input (components, checklist items).
MAX_ITEMS = 200
#: A database key (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("nul")
    return unicodedata.normalize("NFC", value)


#: Marks a text input: NFC, and no NUL byte. Use with the column's bounds, e.g.
#: ``Annotated[str, StringConstraints(max_length=200), Clean]`` (the bounds first, so that a
#: too long text is reported as such).
Clean = AfterValidator(_clean_text)


def vietnamese_error(error: dict[str, Any]) -> tuple[str, str]:
    """(Vietnamese, English) wording of one pydantic error, with its limit when it has one."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and str(error.get("msg", "")).endswith("nul"):
        return "không được chứa ký tự NUL", "must not contain a NUL character"
    if kind == "value_error" and "|" in str(ctx.get("error", "")):
        vi_hint, en_hint = str(ctx["error"]).split("|", 1)
        return f"chưa đúng, cần {vi_hint}", f"is not valid: enter {en_hint}"
    table: dict[str, tuple[str, str]] = {
        "missing": ("là bắt buộc", "is required"),
        "less_than_equal": ("phải nhỏ hơn hoặc bằng {le}", "must be at most {le}"),
        "less_than": ("phải nhỏ hơn {lt}", "must be less than {lt}"),
        "greater_than_equal": ("phải lớn hơn hoặc bằng {ge}", "must be at least {ge}"),
        "greater_than": ("phải lớn hơn {gt}", "must be greater than {gt}"),
        "string_too_long": (
            "dài quá {max_length} ký tự",
            "is longer than {max_length} characters",
        ),
        "string_too_short": (
            "phải có ít nhất {min_length} ký tự",
            "must have at least {min_length} characters",
        ),
        "too_long": ("có quá {max_length} mục", "has more than {max_length} items"),
        "too_short": ("phải có ít nhất {min_length} mục", "must have at least {min_length} items"),
        "string_pattern_mismatch": ("không đúng định dạng", "is not in the expected format"),
        "int_parsing": ("phải là số nguyên", "must be a whole number"),
        "int_type": ("phải là số nguyên", "must be a whole number"),
        "int_from_float": ("phải là số nguyên", "must be a whole number"),
        "string_type": ("phải là chuỗi ký tự", "must be a string"),
        "bool_parsing": ("phải là đúng/sai (true/false)", "must be true or false"),
        "bool_type": ("phải là đúng/sai (true/false)", "must be true or false"),
        "uuid_parsing": ("không phải mã định danh (UUID) hợp lệ", "is not a valid UUID"),
        "uuid_type": ("không phải mã định danh (UUID) hợp lệ", "is not a valid UUID"),
        "datetime_parsing": ("không phải thời điểm hợp lệ", "is not a valid date and time"),
        "datetime_from_date_parsing": (
            "không phải thời điểm hợp lệ",
            "is not a valid date and time",
        ),
        "date_from_datetime_parsing": ("không phải ngày hợp lệ", "is not a valid date"),
        "list_type": ("phải là một danh sách", "must be a list"),
        "dict_type": ("phải là một đối tượng", "must be an object"),
        "model_attributes_type": ("phải là một đối tượng", "must be an object"),
        "literal_error": ("phải là một trong: {expected}", "must be one of: {expected}"),
        "enum": ("phải là một trong: {expected}", "must be one of: {expected}"),
        "value_error": ("không hợp lệ", "is not valid"),
    }
    vi, en = table.get(kind, ("không hợp lệ", "is not valid"))
    values = {k: str(v) for k, v in ctx.items()}
    try:
        return vi.format(**values), en.format(**values)
    except (KeyError, IndexError):
        return "không hợp lệ", "is not valid"


def _phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if value.strip() and not is_valid_phone(digits):
        raise ValueError(
            "số điện thoại di động 10 chữ số, ví dụ 0901234567|a 10-digit mobile number, "
            "e.g. 0901234567"
        )
    return digits


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValueError(
                "địa chỉ thư điện tử, ví dụ ten@example.com|an e-mail address, e.g. "
                "name@example.com"
            ) from None
    return value


#: A Vietnamese phone number (vn-ident), or empty; stored as its digits.
Phone = Annotated[str, StringConstraints(max_length=20), Clean, AfterValidator(_phone)]
#: An e-mail address (Django's validator, the model's 254 characters), or empty.
Email = Annotated[str, StringConstraints(max_length=254), Clean, AfterValidator(_email)]
