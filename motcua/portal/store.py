"""The citizen's personal data store, "Kho dữ liệu cá nhân" (issue #6 item 7; Decree 45/2020
Art. 16, R-RES-03, R-REUSE-04, R-DIG-01): the signed results issued to the citizen and the
documents of their dossiers that a one-stop officer received and checked, kept for reuse.

Every read is scoped to the logged-in citizen: results by their VNeID-verified ID number,
documents by the dossiers filed from their account. Another citizen's item is "not found",
never "forbidden" (nothing tells a guesser that it exists).

An item's key is ``r<token>`` (a signed result, by its 22-character verification token, which
the owner already holds on the document's QR) or ``c<id>`` (a dossier document); with the
``store:`` prefix it fits ``DossierComponent.source`` (30 characters).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.accounts.models import User
from motcua.core.errors import NotFound
from motcua.documents.models import SignedDocument
from motcua.documents.selectors import documents_of_citizen
from motcua.dossiers.models import DossierComponent
from motcua.dossiers.reuse import STORE_PREFIX
from motcua.portal.auth import citizen_required

#: How a reused item is recorded on the new dossier's component (``DossierComponent.source``,
#: max 30 characters) and which R-DIG-01 code it gets: 3 from a result, 2 from a component.
RESULT, COMPONENT = "r", "c"


@dataclass(frozen=True)
class StoreItem:
    key: str
    kind: str  # RESULT or COMPONENT
    title: str
    reference: str  # the dossier code it came from
    unit: str
    at: datetime | None
    verify_token: str = ""

    @property
    def source(self) -> str:
        """The dossier-component ``source`` of a reuse: ``store:r<token>`` / ``store:c34``."""
        return f"{STORE_PREFIX}{self.key}"

    @property
    def digitization(self) -> int:
        if self.kind == RESULT:
            return DossierComponent.Digitization.REUSED_RESULT
        return DossierComponent.Digitization.REUSED_COMPONENT


def _components_of(user: User) -> QuerySet[DossierComponent]:
    """Documents of the citizen's own dossiers that an officer received (a code exists) and
    that hold a file: the counter checked them against the originals (R-RCV-04..06)."""
    return (
        DossierComponent.objects.filter(
            dossier__citizen=user,
            dossier__applicant_id_number=user.citizen_id or "-",
            dossier__code__isnull=False,
        )
        .exclude(file="")
        .select_related("dossier", "dossier__receiving_unit")
        .order_by("-dossier__received_at", "id")
    )


def _result_item(document: SignedDocument) -> StoreItem:
    return StoreItem(
        key=f"{RESULT}{document.token}",
        kind=RESULT,
        title=document.title,
        reference=document.reference,
        unit=document.owner_unit.name,
        at=document.signed_at,
        verify_token=document.token,
    )


def _component_item(component: DossierComponent) -> StoreItem:
    dossier = component.dossier
    return StoreItem(
        key=f"{COMPONENT}{component.pk}",
        kind=COMPONENT,
        title=component.name,
        reference=dossier.code or "",
        unit=dossier.receiving_unit.name,
        at=dossier.received_at,
    )


def store_items(user: User, limit: int = 200) -> list[StoreItem]:
    """The citizen's results (newest first), then their checked documents."""
    if not user.citizen_id:
        return []
    results = [_result_item(d) for d in documents_of_citizen(user.citizen_id)[:limit]]
    components = [_component_item(c) for c in _components_of(user)[:limit]]
    return results + components


def store_item(user: User, key: str) -> tuple[StoreItem, bytes, str]:
    """One item of the citizen's own store with its bytes and a file name; NotFound if it is
    not theirs (or does not exist)."""
    kind, rest = key[:1], key[1:]
    missing = NotFound("Không tìm thấy giấy tờ trong kho dữ liệu của bạn", "Not in your store")
    if not rest or len(rest) > 40 or not user.citizen_id:
        raise missing
    if kind == RESULT:
        document = documents_of_citizen(user.citizen_id).filter(token=rest).first()
        if document is None:
            raise missing
        with document.file.open("rb") as handle:
            data = handle.read()
        return _result_item(document), data, f"ket-qua-{document.reference}.pdf"
    if kind == COMPONENT and rest.isdigit():
        component = _components_of(user).filter(pk=int(rest)).first()
        if component is None:
            raise missing
        with component.file.open("rb") as handle:
            data = handle.read()
        extension = component.file.name.rsplit(".", 1)[-1].lower()
        return _component_item(component), data, f"giay-to-{component.pk}.{extension}"
    raise missing


def _citizen(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@citizen_required
@require_GET
def store_page(request: HttpRequest) -> HttpResponse:
    items = store_items(_citizen(request))
    context = {
        "results": [i for i in items if i.kind == RESULT],
        "documents": [i for i in items if i.kind == COMPONENT],
    }
    return render(request, "portal/account/store.html", context)


CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@citizen_required
@require_GET
def store_download(request: HttpRequest, key: str) -> HttpResponse:
    """The owner downloads an item of their store (R-RES-03); anyone else gets 404."""
    try:
        _item, data, name = store_item(_citizen(request), key)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    extension = name.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(extension, "application/pdf"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
