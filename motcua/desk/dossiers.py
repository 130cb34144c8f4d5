"""Officer desk pages for dossiers: queues, the counter form, a dossier's page and its actions.

Thin views: they parse, call the same services as the API (``dossiers.services``), render.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scope import has_role, units_in_scope
from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.agencies.selectors import in_reading_order
from motcua.catalog.models import ProcedureVersion
from motcua.core.actions import alongside
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError, ValidationFailed
from motcua.core.htmx import wants_fragment
from motcua.core.paging import CappedPaginator
from motcua.core.text import vi_sorted
from motcua.correspondence.actions import DRAFTERS
from motcua.correspondence.selectors import documents_of_dossier
from motcua.desk import counter, signing
from motcua.desk.declaration import counter_rows, counter_values
from motcua.desk.gates import officer, officer_and_dossier
from motcua.documents.models import SignedDocument
from motcua.documents.qr import qr_png
from motcua.dossiers import actions, printing
from motcua.dossiers.actions.core import time_limit
from motcua.dossiers.actions.receive import missing_components
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.results import signed_result_of
from motcua.dossiers.selectors import QUEUES, queue, search
from motcua.dossiers.services import BY_NAME, allowed_actions, perform
from motcua.dossiers.states import LABEL_VI, NATIONAL_CODE, NATIONAL_WORDS, OPEN, State
from motcua.exchange.errors import RecordNotFound
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.tokens import rating_url
from motcua.payments.selectors import orders_of_dossier

#: Dossiers per page of the desk list.
PER_PAGE = 25


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    name = request.GET.get("queue", "all")
    if name not in QUEUES:
        name = "all"
    query = request.GET.get("q", "")[:100]
    # The rows show the procedure's name and no unit: the page reads the dossiers alone and
    # the 25 procedure versions by key, instead of joining three unit tables and the procedure
    # versions to every match before the top 25 are taken (decision 0032).
    rows = (
        search(queue(user, name), query)
        .select_related(None)
        .prefetch_related("procedure_version")
        .order_by("due_at_current", "-submitted_at")
    )
    page = CappedPaginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "queue": name, "queues": QUEUES, "query": query}
    template = (
        "desk/partials/dossier_rows.html" if wants_fragment(request) else "desk/dossier_list.html"
    )
    return render(request, template, context)


@login_required
def dossier_detail(request: HttpRequest, key: str) -> HttpResponse:
    user, dossier = officer_and_dossier(request, key)
    # Read once, used twice (issue #12 item 9): the trail gives the printable forms their event
    # kinds, and the consultations are both listed and checked for what the user may answer.
    events = list(dossier.events.select_related("unit").order_by("seq"))
    consultations = list(dossier.consultations.select_related("agency"))
    context: dict[str, Any] = {
        "dossier": dossier,
        "state_label": LABEL_VI[State(dossier.state)],
        "national_code": NATIONAL_CODE[State(dossier.state)],
        "national_words": NATIONAL_WORDS[NATIONAL_CODE[State(dossier.state)]],
        "events": events,
        "components": dossier.components.all(),
        "supplement_text": _supplement_text(dossier),
        "consultations": consultations,
        # Issue #16 (R-DOC-17): the dossier's official documents, by consultation
        "doc_rows": (doc_rows := documents_of_dossier(user, dossier.pk)),
        "lettered": {cid for _, role, cid in doc_rows if role == "consultation"},
        "can_draft_letter": dossier.state == State.IN_CONSULTATION
        and has_role(user, dossier.competent_unit, DRAFTERS),
        "actions": allowed_actions(user, dossier),
        # R-TIME-07: a procedure that publishes no time limit is received with an appointment.
        "needs_appointment": time_limit(dossier.procedure_version) is None,
        "forms": printing.available_forms(dossier, {e.kind for e in events}),
        "result": _result_or_none(dossier),
        "orders": list(orders_of_dossier(dossier)),
        "can_scan": dossier.channel != "online"
        and has_role(user, dossier.receiving_unit, (Role.ONE_STOP_OFFICER,)),
        "rating_qr": _awaits_rating(dossier),
        "assign_to": _specialists(user, dossier),
        "consult_agencies": _consultable(user, dossier),
        "consult_rows": range(3),
        "answerable": _answerable(user, consultations),
        "signing_open": signing.session_open(request),
        "previewed": signing.previewed(request, dossier),
    }
    return render(request, "desk/dossier_detail.html", context)


#: The reason written against each missing component on Form 02 (the officer may edit it).
MISSING_REASON = "Chưa nộp thành phần bắt buộc theo danh mục đã công bố"


def _supplement_text(dossier: Dossier) -> str:
    """Form 02 prefilled with exactly what is missing at the counter (R-SUP-01, issue #14 item
    5): the required components not provided, full names (the action checks them by name);
    not the conditional ones ("nếu có"), not those provided or fetched from a database."""
    if dossier.state != State.SUBMITTED:
        return ""
    return "".join(f"{c.name} | {MISSING_REASON}\n" for c in missing_components(dossier))


def _specialists(user: User, dossier: Dossier) -> list[User]:
    """The competent unit's specialists, for its leader to assign one (R-PROC-01)."""
    if State(dossier.state) not in OPEN or not has_role(
        user, dossier.competent_unit, (Role.UNIT_LEADER,)
    ):
        return []
    if dossier.state in (State.SUBMITTED, State.RECEIVED):
        return []
    return vi_sorted(
        (
            a.user
            for a in RoleAssignment.objects.filter(
                unit=dossier.competent_unit, role=Role.SPECIALIST
            ).select_related("user")
        ),
        key=lambda u: u.full_name or u.username,
    )


#: Kinds of unit a specialist may consult (R-PROC-03): departments, vertical agencies, police,
#: other communes.
CONSULTED_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.VERTICAL,
    UnitKind.COMMUNE_POLICE,
    UnitKind.COMMUNE_PC,
    UnitKind.PROVINCIAL_PC,
)


def _consultable(user: User, dossier: Dossier) -> list[Unit]:
    if dossier.state != State.IN_APPRAISAL or not has_role(
        user, dossier.competent_unit, (Role.SPECIALIST,)
    ):
        return []
    return in_reading_order(
        Unit.objects.filter(
            province_id=dossier.competent_unit.province_id, kind__in=CONSULTED_KINDS
        ).exclude(pk=dossier.competent_unit_id),
        by_kind=True,
    )


def _answerable(user: User, consultations: list[Consultation]) -> list[Consultation]:
    """The dossier's open consultations addressed to a unit where the user is specialist or
    leader."""
    scope = units_in_scope(user, (Role.SPECIALIST, Role.UNIT_LEADER))
    return [c for c in consultations if c.answered_at is None and c.agency_id in scope]


@login_required
@require_POST
def assign(request: HttpRequest, key: str) -> HttpResponse:
    """The leader of the competent unit assigns the specialist who appraises (R-PROC-01)."""
    user, dossier = officer_and_dossier(request, key)
    specialist = next(
        (u for u in _specialists(user, dossier) if str(u.pk) == request.POST.get("specialist")),
        None,
    )
    if specialist is None:
        messages.error(request, _("Hãy chọn chuyên viên của cơ quan giải quyết."))
        return redirect("desk:dossier", key=str(dossier.pk))
    try:
        actions.do_assign_dossier(dossier, acting_user=user, specialist=specialist)
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã phân công %(name)s thẩm định.") % {"name": specialist.full_name or specialist},
        )
    return redirect("desk:dossier", key=str(dossier.pk))


def consultation_requests(
    units: list[Unit], rows: list[tuple[str, str, str]]
) -> list[tuple[Unit, str, int]]:
    """Rows (agency id, question, days) from a form or the API; blank rows are skipped."""
    by_id = {str(u.pk): u for u in units}
    out = []
    for agency_id, question, days in rows:
        if not agency_id and not question.strip():
            continue
        unit = by_id.get(agency_id)
        if unit is None:
            raise ValidationFailed(
                "Hãy chọn cơ quan được lấy ý kiến trong danh sách.",
                "Choose a consulted agency from the list.",
                field="agency",
            )
        out.append((unit, question, int(days) if days.strip().isdigit() else 0))
    return out


@login_required
@require_POST
def consult(request: HttpRequest, key: str) -> HttpResponse:
    """Ask other agencies, each with its own deadline (R-PROC-03/04)."""
    user, dossier = officer_and_dossier(request, key)
    data = request.POST
    rows = list(
        zip(data.getlist("agency"), data.getlist("question"), data.getlist("days"), strict=False)
    )
    try:
        requests = consultation_requests(_consultable(user, dossier), rows)
        actions.do_request_consultation(dossier, acting_user=user, requests=requests)
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi lấy ý kiến."))
    return redirect("desk:dossier", key=str(dossier.pk))


@login_required
@require_POST
def answer_consultation(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The consulted agency answers from the dossier page."""
    user = officer(request)
    scope = units_in_scope(user, (Role.SPECIALIST, Role.UNIT_LEADER))
    consultation = (
        Consultation.objects.select_related("dossier", "agency")
        .filter(pk=consultation_id, agency_id__in=scope)
        .first()
    )
    if consultation is None:
        raise Http404
    try:
        actions.do_answer_consultation(
            consultation, acting_user=user, answer=request.POST.get("answer", "")
        )
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi ý kiến trả lời."))
    return redirect("desk:home")


def _awaits_rating(dossier: Dossier) -> bool:
    """Rated once, after the result is returned (R-SAT-01)."""
    return dossier.state == State.RETURNED and not Rating.objects.filter(dossier=dossier).exists()


@login_required
def rating_qr(request: HttpRequest, key: str) -> HttpResponse:
    """The QR the counter shows (or prints) so the applicant rates the service from their phone
    (R-SAT-01, issue #6 point 8): a signed link with channel ``counter_qr``."""
    _user, dossier = officer_and_dossier(request, key)
    if not _awaits_rating(dossier):
        raise Http404
    response = HttpResponse(
        qr_png(rating_url(dossier, RatingChannel.COUNTER_QR)), content_type="image/png"
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def digitize(request: HttpRequest, key: str, component_id: int) -> HttpResponse:
    """Upload the scan of one paper component (R-RCV-04)."""
    user, dossier = officer_and_dossier(request, key)
    component = dossier.components.filter(pk=component_id).first()
    upload = request.FILES.get("scan")
    if component is None:
        raise Http404
    try:
        actions.do_digitize_component(
            component,
            acting_user=user,
            data=upload.read() if upload else b"",
            filename=upload.name if upload and upload.name else "",
            paper_pages=int(request.POST.get("paper_pages") or 0),
            confirmed=request.POST.get("confirmed") == "on",
        )
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã số hóa thành phần hồ sơ.")
    return redirect("desk:dossier", key=str(dossier.pk))


@login_required
def result_pdf(request: HttpRequest, key: str) -> FileResponse:
    """The signed result of a dossier (or its signed refusal), for the counter to hand over."""
    _user, dossier = officer_and_dossier(request, key)
    try:
        document = signed_result_of(dossier)
    except MotcuaError:
        raise Http404 from None
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ket-qua-{dossier.code}.pdf"'
    return response


@login_required
def dossier_form(request: HttpRequest, key: str, number: str) -> HttpResponse:
    """A form of the dossier as a PDF (01 receipt slip … 06 control sheet)."""
    _user, dossier = officer_and_dossier(request, key)
    try:
        content = printing.render(dossier, number)
    except MotcuaError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="mau-{number}-{dossier.code or dossier.pk}.pdf"'
    )
    return response


@login_required
def tracking_book(request: HttpRequest) -> HttpResponse:
    """Form 07 for the officer's counter: the dossiers received on a day (default today)."""
    user = officer(request)
    counters = _counter_units(user)
    if not counters:
        raise Http404
    unit = counters[0]
    try:
        day = (
            date.fromisoformat(request.GET.get("day", ""))
            if request.GET.get("day")
            else local_today()
        )
    except ValueError:
        raise Http404 from None
    rows = list(
        Dossier.objects.filter(receiving_unit=unit, received_on=day)
        .select_related("procedure_version", "competent_unit")
        .prefetch_related("events")
        .order_by("code")
    )
    content = printing.tracking_book(
        rows, unit_name=unit.name, province_name=unit.province.name, period=f"Ngày {day:%d/%m/%Y}"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{day:%Y%m%d}.pdf"'
    return response


@login_required
@require_POST
def dossier_act(request: HttpRequest, key: str, action: str) -> HttpResponse:
    user, dossier = officer_and_dossier(request, key)
    try:
        if action == "approve":
            signing.check(request, user, dossier)
        perform(user, dossier, action, request.POST.dict())
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thực hiện: {action_label(action)}.")
    return redirect("desk:dossier", key=str(dossier.pk))


def _result_or_none(dossier: Dossier) -> SignedDocument | None:
    if dossier.state not in ("result_ready", "returned"):
        return None
    try:
        return signed_result_of(dossier)
    except MotcuaError:
        return None


def action_label(name: str) -> str:

    spec = BY_NAME.get(name)
    return spec.label_vi if spec else name


def _counter_units(user: User) -> list[Unit]:
    scope = units_in_scope(user, (Role.ONE_STOP_OFFICER,))
    return in_reading_order(Unit.objects.filter(pk__in=scope, kind__in=RECEIVING_KINDS))


@login_required
def counter_new(request: HttpRequest) -> HttpResponse:
    """The counter: find the procedure as you type (name or code, with or without diacritics),
    the competent unit, the applicant (looked up in the population database by personal ID
    number), tick the documents; then register, or receive at once when the checklist is
    complete (R-RCV-07) — one step for the officer (issue #14 item 5)."""
    user = officer(request)
    counters = _counter_units(user)
    if not counters:
        raise Http404
    at_unit = counters[0]
    typed = (request.GET.get("procedure") or request.POST.get("procedure") or "").strip()[:200]
    procedure = counter.procedure_by_code(at_unit, typed)
    version = procedure.current if procedure else None
    context: dict[str, Any] = {
        "at_unit": at_unit,
        "procedure_code": procedure.code_national if procedure else typed,
        "typed": typed,
        "version": version,
        "matches": [] if version else counter.procedure_matches(at_unit, typed),
        "intake_ref": request.POST.get("intake_ref") or counter.new_intake_ref(),
        "ticked": set(request.POST.getlist("components")),
    }
    if wants_fragment(request, "procedure-matches"):
        return render(request, "desk/partials/procedure_matches.html", context)
    if version is None:
        return render(request, "desk/counter_new.html", context)
    units = in_reading_order(version.implementing_units.all())
    default = next((u for u in units if u.commune_id and u.commune_id == at_unit.commune_id), None)
    context.update(
        competent_units=units,
        default_competent=default.pk if default else (units[0].pk if len(units) == 1 else None),
        checklist=list(version.components.filter(is_note=False)),
        declaration_rows=counter_rows(version, None, {}),
    )
    if request.method != "POST":
        return render(request, "desk/counter_new.html", context)
    if request.POST.get("action") == "lookup":
        return _counter_lookup(request, user, at_unit, version, context)
    return _counter_write(request, user, at_unit, version, context)


def _counter_write(
    request: HttpRequest,
    user: User,
    at_unit: Unit,
    version: ProcedureVersion,
    context: dict[str, Any],
) -> HttpResponse:
    """Register the dossier, or register and receive it in one step (``action=receive``)."""
    data = request.POST
    units: list[Unit] = context["competent_units"]
    competent = next((u for u in units if str(u.pk) == data.get("competent_unit")), None)
    context.update(form_data=data, declaration_rows=counter_rows(version, data, {}))
    if competent is None:
        messages.error(request, "Hãy chọn cơ quan có thẩm quyền giải quyết.")
        return render(request, "desk/counter_new.html", context, status=422)
    context["default_competent"] = competent.pk
    declared, errors = counter_values(version, data)
    if errors:
        messages.error(request, _("Tờ khai còn mục chưa đúng: hãy sửa các mục được đánh dấu."))
        context.update(declaration_rows=counter_rows(version, data, errors))
        return render(request, "desk/counter_new.html", context, status=422)
    ticked = [
        actions.ComponentInput(int(pk), pages=int(data.get(f"pages_{pk}") or 0))
        for pk in data.getlist("components")
        if pk.isdigit()
    ]
    receive = data.get("action") == "receive"
    filing = actions.Filing(
        procedure_code=version.procedure.code_national,
        receiving_unit=at_unit,
        competent_unit=competent,
        channel="counter",
        applicant=actions.Applicant.from_data(data),
        result_delivery=data.get("result_delivery", "counter"),
        components=tuple(ticked),
        declaration=declared,
    )
    try:
        # One step when the checklist is complete (R-RCV-07): register and receive in one
        # transaction; an incomplete checklist is refused with every missing item named
        # (R-SUP-01).
        # The intake's population lookups are linked to the dossier in the action's own
        # transaction (a view opens none: core.actions.alongside, decision 0018).
        def link(result: Any) -> None:
            made = result.dossier if isinstance(result, actions.Receipt) else result
            counter.link_lookups(context["intake_ref"], made, acting_user=user, at_unit=at_unit)

        with alongside(link):
            if receive:
                dossier = actions.do_register_and_receive(filing, acting_user=user).dossier
            else:
                dossier = actions.do_create_dossier(filing, acting_user=user)
    except MotcuaError as exc:
        messages.error(request, exc.message)
        return render(request, "desk/counter_new.html", context, status=422)
    if receive:
        messages.success(
            request,
            _("Đã tiếp nhận hồ sơ %(code)s. In Giấy tiếp nhận (Mẫu 01) cho người nộp.")
            % {"code": dossier.code},
        )
    else:
        messages.success(request, "Đã ghi nhận hồ sơ. Kiểm tra thành phần rồi tiếp nhận.")
    return redirect("desk:dossier", key=str(dossier.pk))


def _counter_lookup(
    request: HttpRequest,
    user: User,
    at_unit: Unit,
    version: ProcedureVersion,
    context: dict[str, Any],
) -> HttpResponse:
    """ "Tra cứu CSDL dân cư": fill the applicant's name and address from the population
    database (R-POP-01/02), logged with purpose (R-PDP-07); what was typed is kept."""
    data = request.POST.copy()
    try:
        found = counter.lookup_applicant(
            data.get("applicant_id_number", ""),
            acting_user=user,
            at_unit=at_unit,
            procedure_code=version.procedure.code_national,
            intake_ref=context["intake_ref"],
        )
    except RecordNotFound:
        messages.error(
            request,
            _(
                "Cơ sở dữ liệu quốc gia về dân cư không có số định danh này: hãy kiểm tra thẻ "
                "căn cước và nhập thông tin theo giấy tờ người nộp xuất trình."
            ),
        )
        status = 404
    except MotcuaError as exc:
        messages.error(request, exc.message)
        status = 422 if isinstance(exc, ValidationFailed) else 502
    else:
        data["applicant_name"] = found.name or data.get("applicant_name", "")
        data["applicant_address"] = found.address or data.get("applicant_address", "")
        data["applicant_kind"] = "person"
        messages.success(
            request,
            _(
                "Đã điền họ tên và địa chỉ từ Cơ sở dữ liệu quốc gia về dân cư (lượt tra cứu "
                "được ghi nhật ký truy cập dữ liệu cá nhân)."
            ),
        )
        status = 200
    context.update(form_data=data, declaration_rows=counter_rows(version, data, {}))
    return render(request, "desk/counter_new.html", context, status=status)


__all__ = ["UnitKind"]
