"""Digitising paper components at the counter (R-RCV-04..06, R-DIG-01)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from motcua.accounts.models import Role, User
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import ValidationFailed
from motcua.core.uploads import ACCEPTED, inspect_upload
from motcua.dossiers.actions.core import record_event, require_role
from motcua.dossiers.errors import RuleViolation
from motcua.dossiers.models import Channel, DossierComponent


@action
def do_digitize_component(
    component: DossierComponent,
    *,
    acting_user: User,
    data: bytes,
    filename: str,
    paper_pages: int,
    confirmed: bool,
) -> DossierComponent:
    """Store the scan of a paper component: one image page per paper page, in order (R-RCV-04),
    confirmed by the officer; not for electronic dossiers or documents only presented
    (R-RCV-05). Marks the component digitised (R-DIG-01 status 1)."""
    dossier = component.dossier
    require_role(acting_user, dossier.receiving_unit, Role.ONE_STOP_OFFICER)
    if dossier.channel == Channel.ONLINE:
        raise RuleViolation(
            "Hồ sơ nộp trực tuyến đã là bản điện tử; không quét lại (R-RCV-05).",
            "An online dossier is already electronic; nothing to scan (R-RCV-05).",
        )
    if component.requirement == "present":
        raise RuleViolation(
            "Giấy tờ chỉ xuất trình để đối chiếu thì không số hóa (R-RCV-05).",
            "Documents that are only presented are not scanned (R-RCV-05).",
        )
    inspected = inspect_upload(data, name=filename)
    if paper_pages < 1:
        raise ValidationFailed(
            "Hãy nhập số trang của bản giấy.",
            "Enter the number of paper pages.",
            field="paper_pages",
        )
    if inspected.pages != paper_pages:
        raise RuleViolation(
            f"Bản quét có {inspected.pages} trang nhưng bản giấy có {paper_pages} trang: mỗi "
            "trang giấy phải có đúng một trang ảnh, cùng thứ tự (R-RCV-04).",
            f"The scan has {inspected.pages} page(s) but the paper has {paper_pages} (R-RCV-04).",
        )
    if not confirmed:
        raise ValidationFailed(
            "Cán bộ phải xác nhận bản quét đầy đủ, rõ nét và đúng thứ tự trang.",
            "The officer must confirm the scan is complete, legible and in order.",
            field="confirmed",
        )
    digest = hashlib.sha256(data).hexdigest()
    component.file.save(
        f"{dossier.pk}/{component.pk}-{digest[:12]}{ACCEPTED[inspected.content_type]}",
        ContentFile(data),
        save=False,
    )
    component.pages = inspected.pages
    component.provided = True
    component.digitization = DossierComponent.Digitization.DIGITIZED
    component.source = "scan"
    component.confirmed_by = acting_user
    component.save(
        update_fields=["file", "pages", "provided", "digitization", "source", "confirmed_by"]
    )
    record_event(
        dossier,
        "dossier:component:digitized",
        actor=acting_user,
        unit=dossier.receiving_unit,
        at=now(),
        reason=f"Số hóa: {component.name[:120]} ({inspected.pages} trang)",
        legal_basis="Thông tư 01/2023/TT-VPCP Điều 8 (R-RCV-04)",
        payload={"component": component.pk, "pages": inspected.pages, "sha256": digest},
    )
    return component
