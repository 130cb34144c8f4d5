"""Desk pages for official documents (issue #16 item 7): the queues of clerks, handlers and
leaders (to register, to assign, to handle, to review, to sign, to release, overdue), a
document's page with its trail and the steps the officer may take, the draft form (also for a
dossier's consultation letter, R-DOC-17, and for an answer to an incoming document), and the
document's PDF. Thin views over ``correspondence.actions``/``incoming`` and its selectors
(scoped by the owner unit: missing and forbidden both answer 404)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scope import has_role, units_in_scope
from motcua.agencies.models import Unit
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError, NotFound, ValidationFailed
from motcua.correspondence import actions, filing, incoming, selectors
from motcua.correspondence.copies import COPY_LABELS, COPYABLE, do_copy_document
from motcua.correspondence.dossier_link import do_draft_consultation_letter
from motcua.correspondence.models import (
    BodyProfile,
    CaseFile,
    CaseFileDocument,
    CaseFileState,
    Direction,
    Document,
    DocumentDossier,
    DocumentEvent,
    Security,
    Urgency,
)
from motcua.correspondence.states import LABEL_VI, State, event_label
from motcua.correspondence.types import CURRENT_VERSION, VERSIONS
from motcua.desk.filing import keeper_units
from motcua.desk.gates import officer, officer_and_dossier
from motcua.dossiers.models import Consultation
from motcua.dossiers.selectors import access_dossier

MAX_SCAN_BYTES = actions.MAX_ATTACHMENT_BYTES


def _document(user: User, document_id: object) -> Document:
    try:
        return selectors.document_for(user, str(document_id))
    except MotcuaError:
        raise Http404 from None


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    name = request.GET.get("queue", "")
    today = local_today()
    counts = {key: selectors.queue(user, key, today).count() for key in selectors.QUEUES}
    if name not in selectors.QUEUES:  # the first queue with work, else all
        name = next((k for k in selectors.QUEUES if counts[k] and k != "all"), "all")
    rows = selectors.queue(user, name, today)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        rows = selectors.search(rows, q)
    page = Paginator(rows.select_related("owner_unit"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "desk/documents/list.html",
        {
            "page": page,
            "queue": name,
            "q": q,
            "queues": [(k, label, counts[k]) for k, label in selectors.QUEUES.items()],
            "labels": {s.value: label for s, label in LABEL_VI.items()},
            "today": today,
            "can_draft": bool(_draft_units(user)),
            "can_register": bool(_clerk_units(user)),
            "can_keep_files": bool(keeper_units(user)),
        },
    )


def _clerk_units(user: User) -> list[Unit]:
    """The bodies where ``user`` is the clerk (văn thư) with a document profile."""
    ids = RoleAssignment.objects.filter(user=user, role=Role.CLERK).values("unit_id")
    with_profile = BodyProfile.objects.values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).filter(pk__in=with_profile).order_by("name"))


def _paper_input(post: Any, scan: bytes) -> actions.IncomingInput:
    """The paper form's fields (errors in Vietnamese, field by field)."""
    number_text = post.get("number", "").strip()
    if number_text and not number_text.isdigit():
        raise ValidationFailed("Số văn bản phải là số nguyên dương.", "The number must be a "
                               "positive whole number.", field="number")  # fmt: skip
    pages_text = post.get("pages", "").strip() or "0"
    if not pages_text.isdigit() or int(pages_text) > 10_000:
        raise ValidationFailed("Số trang không hợp lệ.", "Invalid number of pages.",
                               field="pages")  # fmt: skip
    try:
        issued_on = date.fromisoformat(post["issued_on"]) if post.get("issued_on") else None
    except ValueError:
        raise ValidationFailed("Ngày văn bản không hợp lệ (ngày/tháng/năm).", "Invalid date.",
                               field="issued_on") from None  # fmt: skip
    if issued_on is not None and issued_on > local_today():
        raise ValidationFailed("Ngày văn bản không được sau hôm nay.", "The document's date is "
                               "in the future.", field="issued_on")  # fmt: skip
    return actions.IncomingInput(
        type_code=post.get("type_code", ""),
        summary=post.get("summary", ""),
        issuing_body_code=post.get("issuing_body_code", "")[:35],
        issuing_body_name=post.get("issuing_body_name", "")[:255],
        number=int(number_text) if number_text else None,
        symbol=post.get("symbol", "")[:60],
        issued_on=issued_on,
        urgency=post.get("urgency", Urgency.NORMAL),
        security=post.get("security", Security.NONE),
        pages=int(pages_text),
        scan=scan,
    )


@login_required
def document_paper(request: HttpRequest) -> HttpResponse:
    """The clerk registers a scanned paper incoming document (R-DOC-06: the next arrival number
    of the body in the year, shared with electronic documents). No script needed."""
    user = officer(request)
    units = _clerk_units(user)
    if not units:
        raise Http404
    context: dict[str, Any] = {
        "units": units,
        "types": [t for t in VERSIONS[CURRENT_VERSION] if not t.copy],
        "urgencies": Urgency.choices,
        "securities": Security.choices,
        "data": request.POST,
    }
    if request.method != "POST":
        return render(request, "desk/documents/paper.html", context)
    unit = next((u for u in units if str(u.pk) == request.POST.get("unit")), None)
    if unit is None:
        raise Http404  # another body's clerk: the body is not theirs
    upload = request.FILES.get("scan")
    try:
        if upload is not None and upload.size is not None and upload.size > MAX_SCAN_BYTES:
            raise ValidationFailed("Bản quét phải là tệp PDF, không quá 20 MB.",
                                   "The scan must be a PDF of at most 20 MB.")  # fmt: skip
        data = _paper_input(request.POST, upload.read() if upload is not None else b"")
        document = actions.do_register_incoming_document(unit, data, acting_user=user)
    except MotcuaError as exc:
        context["error"] = exc.message
        return render(request, "desk/documents/paper.html", context, status=422)
    messages.success(request, f"Đã vào sổ văn bản đến, số đến {document.arrival_number}.")
    return redirect("desk:document", document_id=document.pk)


def _draft_units(user: User) -> list[Unit]:
    """Bodies (with a profile, R-DOC-03) where the user may draft."""
    ids = units_in_scope(user, actions.DRAFTERS)
    bodies = BodyProfile.objects.filter(unit_id__in=ids).values("unit_id")
    return list(Unit.objects.filter(pk__in=bodies).order_by("name"))


def _people(unit: Unit, roles: tuple[str, ...]) -> list[User]:
    ids = RoleAssignment.objects.filter(unit=unit, role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name"))


def _steps(user: User, d: Document) -> list[str]:
    """The steps the page offers (the action decides; this only hides buttons)."""
    unit = d.owner_unit
    clerk = has_role(user, unit, (Role.CLERK,))
    leader = has_role(user, unit, (Role.UNIT_LEADER,))
    drafter = has_role(user, unit, actions.DRAFTERS)
    handler = d.handler_id == user.pk
    offered = {
        State.DRAFT: ["submit"] if drafter else [],
        State.IN_REVIEW: ["approve", "return"] if leader else [],
        State.APPROVED: (["sign"] if d.signer_id == user.pk else [])
        + (["return"] if leader else []),
        State.SIGNED: ["release"] if clerk else [],
        State.RELEASED: ["revoke"] if leader else [],
        State.ARRIVED: ["register"] if clerk else [],
        State.REGISTERED: ["assign"] if leader else [],
        State.ASSIGNED: (["handle"] if handler else [])
        + (["forward", "complete"] if handler or leader else [])
        + (["assign"] if leader else []),
        State.HANDLING: ["forward", "complete"] if handler or leader else [],
    }
    steps = offered.get(State(d.state), [])
    # R-DOC-18: the clerk copies what the body holds (the action checks the rest)
    if clerk and d.state in COPYABLE and d.pdf and not d.is_secret:
        steps = [*steps, "copy"]
    if d.state == State.RELEASED and d.direction == Direction.OUTGOING and clerk:
        steps = [*steps, "update"]  # R-DOC-09, R-DOC-13 type 2
        if d.package and actions.external_recipients(d):
            steps = [*steps, "take_back"]  # R-DOC-14 (13)
    # R-DOC-20: any officer of the body files an issued or registered document once
    if (
        d.state not in filing.NOT_FILED
        and has_role(user, unit, filing.FILERS)
        and not CaseFileDocument.objects.filter(document=d).exists()
    ):
        steps = [*steps, "file"]
    return steps


def _trail(document: Document) -> list[DocumentEvent]:
    """The trail in words: each entry's label and, for a state change, the state it led to."""
    states = {s.value: LABEL_VI[s] for s in State}
    rows = list(document.events.order_by("seq"))
    for row in rows:
        row.label = event_label(row.kind)  # type: ignore[attr-defined]
        row.state_label = states.get(row.to_state, "")  # type: ignore[attr-defined]
    return rows


@login_required
def document_detail(request: HttpRequest, document_id: object) -> HttpResponse:
    user = officer(request)
    document = _document(user, document_id)
    hidden = document.state == State.REVOKED or document.is_secret  # R-DOC-12, R-DOC-15
    links = DocumentDossier.objects.filter(document=document).select_related(
        "dossier", "consultation", "consultation__agency"
    )
    steps = _steps(user, document)
    return render(
        request,
        "desk/documents/detail.html",
        {
            "d": document,
            "state_label": LABEL_VI[State(document.state)],
            "hidden": hidden,
            "has_file": bool(document.pdf) and not hidden,
            "recipients": document.recipients.all(),
            "attachments": [] if hidden else document.attachments.all(),
            "links": links,
            "events": _trail(document),
            "steps": steps,
            "handlers": _people(document.owner_unit, (Role.SPECIALIST, Role.UNIT_LEADER))
            if {"assign", "forward"} & set(steps)
            else [],
            "overdue": incoming.is_overdue(document),
            "open_files": CaseFile.objects.filter(
                owner_unit=document.owner_unit, state=CaseFileState.OPEN
            ).order_by("-year", "code")
            if "file" in steps
            else [],
            "filed_in": CaseFileDocument.objects.filter(document=document)
            .select_related("case_file")
            .first(),
            "can_amend": document.direction == Direction.OUTGOING
            and document.state == State.RELEASED
            and has_role(user, document.owner_unit, actions.DRAFTERS),
            "can_answer": document.direction == Direction.INCOMING
            and document.state in (State.ASSIGNED, State.HANDLING)
            and has_role(user, document.owner_unit, actions.DRAFTERS),
        },
    )


@login_required
def document_file(request: HttpRequest, document_id: object) -> FileResponse:
    """The document's PDF as stored (signed), shown inline; never for a revoked or secret one."""
    user = officer(request)
    document = _document(user, document_id)
    if not document.pdf or document.state == State.REVOKED or document.is_secret:
        raise Http404
    response = FileResponse(
        document.pdf.open("rb"), content_type="application/pdf", as_attachment=False
    )
    response["Content-Disposition"] = f'inline; filename="{document.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _consultation(user: User, value: str) -> Consultation | None:
    if not value.isdigit():
        return None
    consultation = Consultation.objects.filter(pk=int(value)).select_related("dossier").first()
    if consultation is None:
        raise Http404
    try:
        access_dossier(user, consultation.dossier_id)
    except MotcuaError:
        raise Http404 from None
    return consultation


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    """Draft an outgoing document; ``?consultation=<id>``: the consultation letter of a dossier
    (R-DOC-17); ``?reply=<document id>``: the answer to an incoming document (ResponseFor)."""
    user = officer(request)
    source = request.POST if request.method == "POST" else request.GET
    consultation = _consultation(user, source.get("consultation", ""))
    reply_to = _document(user, source["reply"]) if source.get("reply") else None
    # R-DOC-09: ``?replaces=<id>`` a document of the same form; ``?corrects=<id>`` a letter
    replaces = _document(user, source["replaces"]) if source.get("replaces") else None
    corrects = _document(user, source["corrects"]) if source.get("corrects") else None
    original = replaces or corrects
    units = _draft_units(user)
    if consultation is not None:
        units = [u for u in units if u.pk == consultation.dossier.competent_unit_id]
    if reply_to is not None:
        units = [u for u in units if u.pk == reply_to.owner_unit_id]
    if original is not None:
        units = [u for u in units if u.pk == original.owner_unit_id]
    if not units:
        raise Http404
    context: dict[str, Any] = {
        "units": units,
        "signers": {u.pk: _people(u, (Role.UNIT_LEADER,)) for u in units},
        "types": [t for t in VERSIONS[CURRENT_VERSION] if not t.copy],
        "urgencies": Urgency.choices,
        "securities": Security.choices,
        "consultation": consultation,
        "reply_to": reply_to,
        "replaces": replaces,
        "corrects": corrects,
        "data": request.POST
        or {"type_code": replaces.type_code if replaces else "cong_van" if corrects else ""},
    }
    if request.method != "POST":
        return render(request, "desk/documents/new.html", context)
    post = request.POST
    unit = next((u for u in units if str(u.pk) == post.get("unit")), None)
    signer = User.objects.filter(pk=post.get("signer") or 0, is_active=True).first()
    try:
        if unit is None or signer is None:
            raise NotFound(
                "Hãy chọn cơ quan ban hành và người ký.", "Choose the issuing body and signer."
            )
        if consultation is not None:
            document = do_draft_consultation_letter(
                consultation,
                signer=signer,
                signer_position=post.get("signer_position", ""),
                drafting_unit_abbreviation=post.get("drafting_unit_abbreviation", ""),
                content=post.get("content", ""),
                acting_user=user,
            )
        else:
            recipients = [
                actions.RecipientInput(name.strip(), code.strip())
                for name, code in zip(
                    post.getlist("recipient_name"), post.getlist("recipient_code"), strict=False
                )
                if name.strip()
            ]
            if post.get("filing", "").strip():
                recipients.append(actions.RecipientInput(post["filing"].strip(), for_filing=True))
            data = actions.OutgoingInput(
                type_code=post.get("type_code", ""),
                summary=post.get("summary", ""),
                content=post.get("content", ""),
                signer=signer,
                signer_position=post.get("signer_position", ""),
                signing_mark=post.get("signing_mark", ""),
                recipients=recipients,
                urgency=post.get("urgency", Urgency.NORMAL),
                security=post.get("security", Security.NONE),
                drafting_unit_abbreviation=post.get("drafting_unit_abbreviation", ""),
                response_to=reply_to,
                replaces=replaces,
                corrects=corrects,
            )
            document = actions.do_create_outgoing_document(unit, data, acting_user=user)
    except MotcuaError as exc:
        context["error"] = exc.message
        return render(request, "desk/documents/new.html", context, status=422)
    messages.success(request, "Đã lưu dự thảo văn bản.")
    return redirect("desk:document", document_id=document.pk)


def _chosen(request: HttpRequest, document: Document) -> User:
    handler = User.objects.filter(pk=request.POST.get("handler") or 0, is_active=True).first()
    if handler is None or not has_role(handler, document.owner_unit):
        raise NotFound("Hãy chọn người xử lý.", "Choose a handler.")
    return handler


def _act(request: HttpRequest, user: User, document: Document, action: str) -> str:
    post = request.POST
    steps: dict[str, Any] = {
        "submit": lambda: actions.do_submit_document(document, acting_user=user),
        "return": lambda: actions.do_return_document(
            document, reason=post.get("reason", ""), acting_user=user
        ),
        "sign": lambda: actions.do_sign_document(document, acting_user=user),
        "release": lambda: actions.do_release_document(document, acting_user=user),
        "revoke": lambda: actions.do_revoke_document(
            document, reason=post.get("reason", ""), acting_user=user
        ),
        "register": lambda: incoming.do_register_document(document, acting_user=user),
        "assign": lambda: incoming.do_assign_document(
            document,
            handler=_chosen(request, document),
            days=int(post.get("days") or 0) if (post.get("days") or "0").isdigit() else 0,
            acting_user=user,
        ),
        "handle": lambda: incoming.do_handle_document(
            document, note=post.get("note", ""), acting_user=user
        ),
        "forward": lambda: incoming.do_forward_document(
            document,
            handler=_chosen(request, document),
            reason=post.get("reason", ""),
            acting_user=user,
        ),
        "complete": lambda: incoming.do_complete_document(document, acting_user=user),
    }
    if action == "update":
        pages_text = post.get("pages", "").strip()
        if pages_text and not pages_text.isdigit():
            raise ValidationFailed("Số trang không hợp lệ.", "Invalid number of pages.",
                                   field="pages")  # fmt: skip
        actions.do_update_document(
            document, reason=post.get("reason", ""), summary=post.get("summary") or None,
            pages=int(pages_text) if pages_text else None, acting_user=user,
        )  # fmt: skip
        return "Cập nhật thông tin văn bản"
    if action == "take_back":
        actions.do_take_back_document(document, reason=post.get("reason", ""), acting_user=user)
        return "Đề nghị lấy lại văn bản"
    if action == "file":
        try:
            chosen = uuid.UUID(post.get("case_file", ""))
        except ValueError:
            chosen = None
        case_file = (
            CaseFile.objects.filter(pk=chosen, owner_unit=document.owner_unit).first()
            if chosen is not None
            else None
        )
        if case_file is None:
            raise ValidationFailed("Hãy chọn hồ sơ.", "Choose a file.", field="case_file")
        filing.do_file_document(case_file, document, acting_user=user)
        return f"Đưa vào hồ sơ {case_file.code}"
    if action == "copy":
        pages = [int(p) for p in post.get("pages", "").replace(",", " ").split() if p.isdigit()]
        made = do_copy_document(document, kind=post.get("kind", ""), pages=pages or None,
                                acting_user=user)  # fmt: skip
        return f"{COPY_LABELS[made.type_code]} số {made.number_and_symbol}"
    if action == "approve":
        actions.check_second_factor(
            user, confirm=post.get("confirm") == "on", otp=post.get("otp", "")
        )
        actions.do_approve_document(document, acting_user=user)
    elif action in steps:
        steps[action]()
    else:
        raise Http404
    return LABEL_VI[State(document.state)]


@login_required
@require_POST
def document_act(request: HttpRequest, document_id: object, action: str) -> HttpResponse:
    user = officer(request)
    document = _document(user, document_id)
    try:
        label = _act(request, user, document, action)
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thực hiện: {label}.")
    return redirect("desk:document", document_id=document.pk)


@login_required
def dossier_documents(request: HttpRequest, key: str) -> HttpResponse:
    """R-DOC-17: the documents of a dossier (consultation letters, answers) — a fragment the
    dossier's page links to."""
    user, dossier = officer_and_dossier(request, key)
    return render(
        request,
        "desk/documents/of_dossier.html",
        {
            "dossier": dossier,
            "rows": selectors.documents_of_dossier(user, dossier.pk),
            "consultations": dossier.consultations.select_related("agency"),
            "labels": {s.value: label for s, label in LABEL_VI.items()},
        },
    )
