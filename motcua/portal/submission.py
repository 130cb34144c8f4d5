"""Writers of the citizen portal: keep a draft's values and uploads, and submit it as an online
dossier (R-RCV-01 channel "online", state 1 for the receiving centre's officers)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog.models import Component, Procedure
from motcua.core.actions import action
from motcua.core.clock import now
from motcua.core.errors import MotcuaError
from motcua.dossiers.actions import Applicant, ComponentInput, Filing, write_created_dossier
from motcua.dossiers.actions.core import record_event
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierComponent
from motcua.dossiers.reuse import STORE_PREFIX
from motcua.portal.models import Draft, DraftFile
from motcua.portal.uploads import CheckedFile


@action
def do_save_draft(draft: Draft, *, values: dict[str, Any]) -> None:
    draft.data = values
    draft.save(update_fields=["data", "updated_at"])


@action
def do_attach_draft_file(
    draft: Draft,
    *,
    component: Component,
    checked: CheckedFile,
    original_name: str,
    source: str = "",
) -> DraftFile:
    """Keep one file per checklist item; a new upload (or store item) replaces the old one.
    ``source`` names a personal-data-store item (``store:c34``) the file was copied from."""
    old = DraftFile.objects.filter(draft=draft, component=component).first()
    if old is not None:
        name = old.file.name
        storage = old.file.storage
        old.delete()
        transaction.on_commit(lambda: storage.delete(name))
    row = DraftFile(
        draft=draft,
        component=component,
        original_name=original_name[:255],
        content_type=checked.content_type,
        size=len(checked.data),
        pages=checked.pages,
        source=source[:30],
    )
    row.file.save(f"{component.pk}.{checked.extension}", ContentFile(checked.data), save=False)
    row.save()
    return row


DIGITIZED = DossierComponent.Digitization.DIGITIZED
#: R-DIG-01: "3" reused from another dossier's result, "2" from another dossier's component.
REUSE_CODES = {
    "r": DossierComponent.Digitization.REUSED_RESULT,
    "c": DossierComponent.Digitization.REUSED_COMPONENT,
}


def _record_reuse(
    dossier: Dossier, row: DossierComponent, upload: DraftFile, citizen: User
) -> None:
    """The trail says which stored document stands for the component (R-REUSE-04/06)."""
    record_event(
        dossier,
        "dossier:component:reused",
        actor=citizen,
        unit=dossier.receiving_unit,
        at=now(),
        reason=f"Dùng lại từ Kho dữ liệu cá nhân: {upload.original_name}"[:500],
        legal_basis="Nghị định 45/2020/NĐ-CP Điều 16 (Kho quản lý dữ liệu điện tử)",
        payload={"component": row.pk, "source": upload.source, "name": upload.original_name},
    )


def _not_uploaded(draft: Draft, uploaded: set[int]) -> list[ComponentInput]:
    """Checklist items the citizen is not asked to upload online and that are nonetheless met:
    an identity document only shown at the counter is proven by the VNeID login; an item a
    national database replaces is read by the agency (R-REUSE-05), the source says which."""
    version = Procedure.objects.get(
        province_id=settings.MOTCUA_PROVINCE_CODE, code_national=draft.procedure_code
    ).current
    assert version is not None
    met = []
    for c in version.components.filter(is_note=False, conditional=False):
        if c.pk in uploaded:
            continue
        if c.requirement == Component.Requirement.PRESENT:
            met.append(ComponentInput(c.pk, pages=0, source="vneid"))
        elif c.replaceable_by:
            met.append(ComponentInput(c.pk, pages=0, source=f"database:{c.replaceable_by}"))
    return met


class AlreadySubmitted(MotcuaError):
    """The draft was submitted by an earlier request; ``dossier_id`` is its dossier."""

    code = "already_submitted"
    http_status = 409

    def __init__(self, dossier_id: Any) -> None:
        super().__init__(
            "Hồ sơ này đã được nộp.", "This application was already submitted.", dossier=dossier_id
        )
        self.dossier_id = dossier_id


@action
def do_submit_draft(
    draft: Draft,
    *,
    citizen: User,
    receiving_unit: Unit,
    competent_unit: Unit,
    phone: str,
    email: str,
    address: str,
    summary: str,
    result_delivery: str,
    declaration: dict[str, str] | None = None,
) -> Dossier:
    """Create the dossier in state 1 and attach the uploads to its checklist rows, in one
    transaction: a dossier never exists without the files the citizen sent.

    The draft is claimed first by a conditional UPDATE (issue #12 item 2): of two submissions
    of the same e-form (a double click, a retried request) one creates the dossier and the
    other gets :class:`AlreadySubmitted` naming it, so the citizen lands on its page."""
    claimed = Draft.objects.filter(pk=draft.pk, submitted_at=None).update(submitted_at=now())
    if not claimed:
        dossier_id = Draft.objects.filter(pk=draft.pk).values_list("dossier_id", flat=True)
        raise AlreadySubmitted(dossier_id.first())
    files = {f.component_id: f for f in draft.files.all()}
    filing = Filing(
        procedure_code=draft.procedure_code,
        receiving_unit=receiving_unit,
        competent_unit=competent_unit,
        channel=Channel.ONLINE,
        applicant=Applicant(
            kind=ApplicantKind.PERSON,
            name=citizen.full_name,
            id_number=citizen.citizen_id or "",
            phone=phone,
            email=email,
            address=address,
        ),
        result_delivery=result_delivery,
        summary=summary,
        components=(
            *(
                ComponentInput(f.component_id, pages=f.pages, source=f.source or "upload")
                for f in files.values()
            ),
            *_not_uploaded(draft, set(files)),
        ),
        citizen=citizen,
        declaration=declaration,
    )
    dossier = write_created_dossier(filing, acting_user=citizen)
    for row in DossierComponent.objects.filter(
        dossier=dossier, catalog_component_id__in=list(files)
    ):
        upload = files[row.catalog_component_id]  # type: ignore[index]
        with upload.file.open("rb") as handle:
            content = handle.read()
        extension = upload.file.name.rsplit(".", 1)[-1]
        row.file.save(f"{dossier.pk}-{row.pk}.{extension}", ContentFile(content), save=False)
        row.digitization = REUSE_CODES.get(upload.source[len(STORE_PREFIX) :][:1], DIGITIZED)
        row.save(update_fields=["file", "digitization"])
        if upload.source.startswith(STORE_PREFIX):
            _record_reuse(dossier, row, upload, citizen)
    draft.dossier = dossier
    draft.submitted_at = now()
    draft.save(update_fields=["dossier", "submitted_at", "updated_at"])
    # The draft's own copies are no longer needed once the dossier holds them.
    names = [(f.file.storage, f.file.name) for f in files.values()]
    DraftFile.objects.filter(draft=draft).delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
    return dossier


@action
def do_delete_draft(draft: Draft) -> None:
    names = [(f.file.storage, f.file.name) for f in draft.files.all()]
    draft.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
