"""Create or link the citizen account of a verified VNeID login, by personal ID number."""

from __future__ import annotations

import re
from typing import Any

from motcua.accounts.models import User
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.text import nfc
from motcua.portal.assurance import level_of
from motcua.portal.models import VneidIdentity
from motcua.portal.oidc import VneidError

CITIZEN_ACCOUNT = "1"


def _address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [value.get(k, "") for k in ("ChiTiet", "TenPhuongXa", "TenTinhThanh")]
    return nfc(", ".join(p for p in parts if isinstance(p, str) and p))[:300]


def _phone(value: Any) -> str:
    digits = re.sub(r"\D", "", value) if isinstance(value, str) else ""
    return digits[:20]


@action
def do_link_vneid_citizen(claims: dict[str, Any], userinfo: dict[str, Any]) -> User:
    """The citizen account of this VNeID identity: found by personal ID number (R-ID-15),
    created at first login. Name and contact details follow VNeID, the authoritative source."""
    citizen_id = str(claims.get("SoDinhDanh", ""))
    if not re.fullmatch(r"\d{12}", citizen_id):
        raise VneidError(
            "Tài khoản VNeID không có số định danh cá nhân hợp lệ. Hãy liên hệ Trung tâm Phục "
            "vụ hành chính công để được hướng dẫn."
        )
    if str(claims.get("LoaiTaiKhoan", CITIZEN_ACCOUNT)) != CITIZEN_ACCOUNT:
        raise VneidError(
            "Cổng dịch vụ công hiện chỉ nhận tài khoản định danh điện tử của công dân. Tổ chức, "
            "doanh nghiệp hãy nộp hồ sơ tại Trung tâm Phục vụ hành chính công."
        )
    sub = str(claims["sub"])
    user = User.objects.filter(citizen_id=citizen_id).first()
    if user is not None and user.is_officer:
        # An officer's account carries roles (and a second factor); a citizen login must never
        # open it.
        raise VneidError(
            "Số định danh này gắn với một tài khoản cán bộ. Hãy đăng nhập bằng trang “Đăng nhập "
            "cán bộ”, hoặc liên hệ quản trị đơn vị để tách tài khoản công dân."
        )
    linked = VneidIdentity.objects.filter(sub=sub).exclude(user__citizen_id=citizen_id).first()
    if linked is not None:
        raise VneidError(
            "Tài khoản VNeID này đã gắn với một số định danh khác. Hãy liên hệ Trung tâm Phục "
            "vụ hành chính công để được hỗ trợ."
        )
    name = nfc(str(claims.get("HoVaTen") or userinfo.get("HoVaTen") or ""))[:150]
    phone = _phone(userinfo.get("SoDienThoai"))
    email = str(userinfo.get("ThuDienTu") or "")[:254]
    if user is None:
        user = User(
            username=f"vneid-{citizen_id}",
            kind=User.Kind.CITIZEN,
            citizen_id=citizen_id,
        )
        user.set_unusable_password()
    user.full_name = name or user.full_name
    user.phone = phone or user.phone
    user.email = email or user.email
    user.save()
    VneidIdentity.objects.update_or_create(
        user=user,
        defaults={
            "sub": sub,
            "loa": str(level_of(claims)),
            "account_kind": CITIZEN_ACCOUNT,
            "address": _address(userinfo.get("NoiOHienNay") or userinfo.get("ThuongTru")),
            "birth_date": str(userinfo.get("NgayThangNamSinh") or "")[:8],
            "last_login_at": now(),
        },
    )
    return user
