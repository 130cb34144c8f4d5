"""Officers see what they judge (issue #14 item 1): a dossier component's file in an inline
viewer, and the leader's preview of the exact result document before signing.

PDF pages are rendered to PNG on the server with PDFium (pypdfium2): the CSP forbids
``object-src`` and frames, and no PDF script comes from a third-party origin. Zoom and rotation
are CSS only (radio buttons), so the viewer needs no script.

Every opening of a component is one row of the personal-data access log
(``accounts.PersonalDataAccess``, R-PDP-07): who, which unit, which dossier, which document,
when. The page images are served only to a session that opened the viewer (a short grant in
the session), so no file leaves without its log row.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role, User
from motcua.accounts.scope import has_role
from motcua.core.clock import now
from motcua.core.errors import MotcuaError
from motcua.core.uploads import JPEG, PNG, sniff
from motcua.desk.gates import officer, officer_and_dossier
from motcua.dossiers.actions.access import do_log_file_access
from motcua.dossiers.models import Dossier, DossierComponent
from motcua.dossiers.results import result_data
from motcua.dossiers.selectors import access_dossier

GRANTS = "motcua_viewer_grants"
GRANT_SECONDS = 30 * 60
#: PDF points to pixels: 1.5 ≈ 108 dpi, legible on a desk screen, small enough for a phone.
SCALE = 1.5
MAX_PAGES = 200


@dataclass(frozen=True)
class Origin:
    key: str
    label: str


ORIGINS = {
    "upload": gettext_lazy("Công dân tải lên"),
    "scan": gettext_lazy("Cán bộ một cửa quét từ bản giấy"),
    "store": gettext_lazy("Kho dữ liệu cá nhân của công dân"),
    "database": gettext_lazy("Cơ sở dữ liệu quốc gia"),
    "vneid": gettext_lazy("Định danh điện tử VNeID"),
    "paper": gettext_lazy("Bản giấy tại bộ phận một cửa"),
}


def origin_of(component: DossierComponent) -> Origin:
    """Where the document came from, from the component's ``source`` (R-DIG-01)."""
    source = component.source or ("upload" if component.file else "paper")
    key = source.split(":", 1)[0]
    if key not in ORIGINS:
        key = "upload" if component.file else "paper"
    label = str(ORIGINS[key])
    if key == "database" and ":" in source:
        label = f"{label} ({source.split(':', 1)[1]})"
    return Origin(key, label)


def _component(user: User, key: str, component_id: int) -> tuple[Dossier, DossierComponent]:
    """The component of a dossier the officer may see; 404 the same for missing and forbidden."""
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
    component = dossier.components.filter(pk=component_id).first()
    if component is None:
        raise Http404
    return dossier, component


def _read(component: DossierComponent) -> bytes:
    with component.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def page_count(data: bytes) -> int:
    if sniff(data[:16]) in (JPEG, PNG):
        return 1
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # noqa: PLC0415 - loads when a PDF is shown

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_page(data: bytes, index: int) -> tuple[bytes, str]:
    """Page ``index`` (0-based) as an image: an image file as it is, a PDF page as PNG."""
    kind = sniff(data[:16])
    if kind in (JPEG, PNG):
        if index != 0:
            raise Http404
        return data, str(kind)
    import pypdfium2 as pdfium  # noqa: PLC0415 - loads when a PDF is shown

    pdf = pdfium.PdfDocument(data)
    try:
        if not 0 <= index < min(len(pdf), MAX_PAGES):
            raise Http404
        bitmap = pdf[index].render(scale=SCALE)
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), "image/png"
    finally:
        pdf.close()


def _grant(request: HttpRequest, name: str) -> None:
    grants = {
        k: v for k, v in request.session.get(GRANTS, {}).items() if v > time.time()
    }  # drop the expired ones
    grants[name] = time.time() + GRANT_SECONDS
    request.session[GRANTS] = grants


def _granted(request: HttpRequest, name: str) -> bool:
    return bool(request.session.get(GRANTS, {}).get(name, 0) > time.time())


@login_required
def component_viewer(request: HttpRequest, key: str, component_id: int) -> HttpResponse:
    """The viewer page of one component: its pages, origin, page count; logged."""
    user = officer(request)
    dossier, component = _component(user, key, component_id)
    pages = 0
    if component.file:
        do_log_file_access(dossier, component, acting_user=user)
        pages = page_count(_read(component))
        _grant(request, f"c{component.pk}")
    context = {
        "dossier": dossier,
        "component": component,
        "origin": origin_of(component),
        "pages": [
            (n, reverse("desk:component-page", args=[dossier.pk, component.pk, n]))
            for n in range(1, pages + 1)
        ],
        "page_total": pages,
        "title": component.name,
    }
    return render(request, "desk/viewer.html", context)


@login_required
def component_page(request: HttpRequest, key: str, component_id: int, page: int) -> HttpResponse:
    """Page ``page`` (1-based) of a component, for a session that opened it in the viewer."""
    user = officer(request)
    _dossier, component = _component(user, key, component_id)
    if not component.file or not _granted(request, f"c{component.pk}"):
        raise Http404
    content, content_type = render_page(_read(component), page - 1)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


def _preview_pdf(dossier: Dossier, user: User) -> bytes:
    """The result document as it will be signed: same renderer, same data; the signer is the
    leader looking at it, the date today. Nothing is stored or signed."""

    from motcua.documents.issuing import verify_url  # noqa: PLC0415 - signing loads when a preview is made
    from motcua.documents.result_pdf import render_result  # noqa: PLC0415 - PDF libraries load when a preview is made

    # The real token is drawn when the document is signed; the QR here has the same form.
    data = result_data(dossier, verify_url("xem-truoc"))
    data = replace(
        data,
        signer_name=user.full_name or user.username,
        decided_at=now(),
    )
    return render_result(data)


def _leader_of(user: User, dossier: Dossier) -> bool:
    return has_role(user, dossier.competent_unit, (Role.UNIT_LEADER,))


@login_required
def result_preview(request: HttpRequest, key: str) -> HttpResponse:
    """The leader previews the exact result document before signing (issue #14 item 1)."""
    user, dossier = officer_and_dossier(request, key)
    if dossier.state != "awaiting_signature" or not _leader_of(user, dossier):
        raise Http404
    pages = page_count(_preview_pdf(dossier, user))
    _grant(request, f"p{dossier.pk}")
    context = {
        "dossier": dossier,
        "pages": [
            (n, reverse("desk:result-preview-page", args=[dossier.pk, n]))
            for n in range(1, pages + 1)
        ],
        "page_total": pages,
        "title": _("Xem trước kết quả trước khi ký"),
        "preview": True,
    }
    return render(request, "desk/viewer.html", context)


@login_required
def result_preview_page(request: HttpRequest, key: str, page: int) -> HttpResponse:
    user, dossier = officer_and_dossier(request, key)
    if (
        dossier.state != "awaiting_signature"
        or not _leader_of(user, dossier)
        or not _granted(request, f"p{dossier.pk}")
    ):
        raise Http404
    content, content_type = render_page(_preview_pdf(dossier, user), page - 1)
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
