"""Online application (R-ONL-01..05, Decree 45/2020 Art. 9–11): /nop-ho-so/<code>/ starts or
resumes a draft, /ho-so-nhap/<id>/ is the e-form (save draft, upload, submit).

Views parse, call ``portal.submission`` writers, render."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.agencies.selectors import centre_list, in_reading_order
from motcua.catalog.declaration import birth_date_claim, declaration_of, identity_prefill
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import online_offer, procedure_detail, time_limit_text
from motcua.core.errors import MotcuaError, NotFound
from motcua.dossiers.models import Delivery
from motcua.portal.assurance import required_level, session_level
from motcua.portal.auth import SESSION_LOA, citizen_required
from motcua.portal.forms import (
    DRAFT_FIELDS,
    ApplicationForm,
    ChecklistItem,
    checklist,
    declaration_name,
    preselected_units,
)
from motcua.portal.models import Draft, DraftFile, VneidIdentity
from motcua.portal.store import store_item, store_items
from motcua.portal.submission import (
    AlreadySubmitted,
    do_attach_draft_file,
    do_delete_draft,
    do_save_draft,
    do_submit_draft,
)
from motcua.portal.uploads import UploadRejected, check_upload


def _citizen(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _version(code: str, *, related: bool = True) -> ProcedureVersion:
    try:
        return procedure_detail(settings.MOTCUA_PROVINCE_CODE, code, related=related)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _prefill(user: User, version: ProcedureVersion | None = None) -> dict[str, str]:
    """From the citizen's identity (VNeID claims kept at login), including the declaration's
    fields the State holds about them (R-REUSE-01)."""
    identity = VneidIdentity.objects.filter(user=user).first()
    claims = {
        "full_name": user.full_name,
        "id_number": user.citizen_id or "",
        "birth_date": birth_date_claim(identity.birth_date) if identity else "",
        "address": identity.address if identity else "",
        "phone": user.phone,
        "email": user.email,
    }
    declared = identity_prefill(declaration_of(version.declaration) if version else None, claims)
    return {
        "phone": user.phone,
        "email": user.email,
        "address": claims["address"],
        "result_delivery": Delivery.ONLINE,
        **{declaration_name(name): value for name, value in declared.items()},
    }


@citizen_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Resume the citizen's open draft of this procedure, or start one."""
    user = _citizen(request)
    version = _version(code, related=False)  # the draft's page loads the units
    if not online_offer(version).accepts:  # the procedure page's answer (issue #14 item 4)
        return render(request, "portal/apply/not_online.html", {"version": version}, status=409)
    draft = Draft.objects.filter(
        citizen=user, procedure_code=version.procedure.code_national, submitted_at=None
    ).first()
    if draft is None:
        draft = Draft.objects.create(
            citizen=user,
            procedure_code=version.procedure.code_national,
            data=_prefill(user, version),
        )
    return redirect("portal:draft", draft_id=draft.pk)


def _draft(request: HttpRequest, draft_id: uuid.UUID) -> Draft:
    draft = Draft.objects.filter(pk=draft_id, citizen=_citizen(request), submitted_at=None).first()
    if draft is None:
        raise Http404(_("Không tìm thấy hồ sơ nháp hoặc hồ sơ đã được nộp."))
    return draft


def _submitted(user: User, draft_id: uuid.UUID) -> HttpResponse | None:
    """A draft already submitted (a second click, a retried request, the back button) leads to
    its dossier's page, never to a second dossier or an error (issue #12 item 2)."""
    dossier_id = (
        Draft.objects.filter(pk=draft_id, citizen=user)
        .exclude(submitted_at=None)
        .exclude(dossier=None)
        .values_list("dossier_id", flat=True)
        .first()
    )
    if dossier_id is None:
        return None
    return redirect("portal:mine_detail", dossier_id=dossier_id)


def _open_draft(user: User, draft_id: uuid.UUID) -> Draft | HttpResponse:
    """The citizen's open draft, or the page of the dossier it became (:func:`_submitted`);
    404 otherwise. One query for an open draft (issue #14 item 9)."""
    draft = Draft.objects.filter(pk=draft_id, citizen=user).first()
    if draft is not None and draft.submitted_at is not None:
        submitted = _submitted(user, draft_id)
        if submitted is not None:
            return submitted
    if draft is None or draft.submitted_at is not None:
        raise Http404(_("Không tìm thấy hồ sơ nháp hoặc hồ sơ đã được nộp."))
    return draft


def _submit(
    request: HttpRequest, user: User, draft: Draft, form: ApplicationForm
) -> HttpResponse | None:
    """Submit the valid e-form: the dossier's page, or None with the error on the form."""
    data = form.cleaned_data
    try:
        dossier = do_submit_draft(
            draft,
            citizen=user,
            receiving_unit=data["receiving"],
            competent_unit=data["competent"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            summary=data["summary"],
            result_delivery=data["result_delivery"],
            declaration=data["declaration"],
        )
    except AlreadySubmitted as exc:  # a double click lands on the same confirmation
        return redirect("portal:submitted", dossier_id=exc.dossier_id)
    except MotcuaError as exc:
        form.add_error(None, exc.message)
        return None
    # The confirmation page: a reference to quote and track at once (issue #14 item 3).
    return redirect("portal:submitted", dossier_id=dossier.pk)


def _attach_from_store(
    request: HttpRequest,
    user: User,
    draft: Draft,
    items: list[ChecklistItem],
    uploads: dict[int, DraftFile],
) -> dict[str, str]:
    """Items the citizen chose from their personal data store instead of uploading (issue #6
    item 7, R-REUSE-04): a copy joins the draft, marked with where it came from. An upload in
    the same request wins. Returns the errors by upload field name."""
    errors: dict[str, str] = {}
    for item in items:
        key = request.POST.get(f"store_{item.component.pk}", "")
        if not key or request.FILES.get(item.field_name):
            continue
        try:
            stored, data, name = store_item(user, key)
            checked = check_upload(SimpleUploadedFile(name, data))
        except NotFound:
            errors[item.field_name] = _("Không tìm thấy giấy tờ này trong Kho dữ liệu của bạn.")
            continue
        except UploadRejected as exc:
            errors[item.field_name] = exc.message
            continue
        uploads[item.component.pk] = do_attach_draft_file(
            draft,
            component=item.component,
            checked=checked,
            original_name=f"{stored.title} ({stored.reference})",
            source=stored.source,
        )
    return errors


def loa_refusal(needed: int) -> str:
    return _(
        "Thủ tục này chỉ nhận hồ sơ trực tuyến từ tài khoản định danh điện tử VNeID mức độ "
        "{level}. Bạn đang đăng nhập bằng tài khoản mức độ 1: hãy đến cơ quan Công an nơi cư trú "
        "để nâng cấp tài khoản lên mức độ 2, rồi đăng nhập lại để nộp hồ sơ. Bản nháp của bạn "
        "vẫn được lưu."
    ).format(level=needed)


@citizen_required
@require_http_methods(["GET", "POST"])
def edit_draft(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    user = _citizen(request)
    draft = _open_draft(user, draft_id)
    if isinstance(draft, HttpResponse):
        return draft
    version = _version(draft.procedure_code)
    items = checklist(version)
    # Prefetched with their communes by procedure_detail: one query, no N+1 (issue #14 item 9).
    competent_units = in_reading_order(version.implementing_units.all())
    centres = centre_list(settings.MOTCUA_PROVINCE_CODE)
    uploads = {f.component_id: f for f in draft.files.all()}
    submitting = request.POST.get("action") == "submit"
    level = session_level(request.session.get(SESSION_LOA))
    needed = required_level(draft.procedure_code)
    form_kwargs: dict[str, Any] = {
        "version": version,
        "competent_units": competent_units,
        "centres": centres,
        "items": items,
        "uploaded": set(uploads),
        "submitting": submitting,
        "declaration": declaration_of(version.declaration),
    }
    status = 200
    store_options = store_items(user)
    store_errors: dict[str, str] = {}
    if request.method == "POST":
        store_errors = _attach_from_store(request, user, draft, items, uploads)
        form_kwargs["uploaded"] = set(uploads)
        form = ApplicationForm(request.POST, request.FILES, **form_kwargs)
        for name, error in store_errors.items():
            form.add_error(name, error)
        valid = form.is_valid()
        # Keep every value and every good file, whatever else is wrong: nothing typed is lost.
        names = (*DRAFT_FIELDS, *form.declaration_names)
        do_save_draft(draft, values={k: request.POST.get(k, "") for k in names})
        rejected = bool(store_errors)
        for item in items:
            upload = request.FILES.get(item.field_name)
            if upload is None:
                continue
            try:
                checked = check_upload(upload)
            except UploadRejected as exc:
                form.add_error(item.field_name, exc.message)
                rejected = True
                continue
            uploads[item.component.pk] = do_attach_draft_file(
                draft, component=item.component, checked=checked, original_name=upload.name or ""
            )
        if not submitting and not rejected:
            messages.success(
                request,
                _("Đã lưu hồ sơ nháp. Bạn có thể quay lại hoàn thiện và nộp bất cứ lúc nào."),
            )
            return redirect("portal:draft", draft_id=draft.pk)
        if submitting and level < needed:
            # R-AUTH-02: the draft is kept; only the submission waits for a level-2 login.
            form.add_error(None, loa_refusal(needed))
            status = 403
        elif submitting and valid and not rejected:
            done = _submit(request, user, draft, form)
            if done is not None:
                return done
        status = status if status != 200 else 422
    else:
        # A draft started before its procedure had a declaration gets the prefill too.
        initial = {**_prefill(user, version), **draft.data}
        # The citizen's commune, named in their address, is preselected (issue #14 item 4).
        picked = preselected_units(version, initial.get("address", ""), competent_units, centres)
        initial.update({k: v for k, v in picked.items() if not initial.get(k)})
        form = ApplicationForm(initial=initial, **form_kwargs)
    context = {
        "draft": draft,
        "version": version,
        "time_limit": time_limit_text(version),
        "form": form,
        "items": [(item, form[item.field_name], uploads.get(item.component.pk)) for item in items],
        "citizen": user,
        "loa": request.session.get(SESSION_LOA, ""),
        "loa_short": level < needed,
        "loa_needed": needed,
        "max_mb": settings.MOTCUA_UPLOAD_MAX_BYTES // (1024 * 1024),
        "store_options": store_options,
    }
    return render(request, "portal/apply/form.html", context, status=status)


@citizen_required
@require_POST
def delete_draft(request: HttpRequest, draft_id: uuid.UUID) -> HttpResponse:
    do_delete_draft(_draft(request, draft_id))
    messages.success(request, _("Đã xóa hồ sơ nháp."))
    return redirect("portal:mine")
