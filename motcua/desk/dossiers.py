"""Officer desk pages for dossiers: queues, the counter form, a dossier's page and its actions.

Thin views: they parse, call the same services as the API (``dossiers.services``), render.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.accounts.scope import has_role, units_in_scope
from motcua.agencies.models import RECEIVING_KINDS, Unit, UnitKind
from motcua.catalog.models import Procedure
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError, ValidationFailed
from motcua.correspondence.actions import DRAFTERS
from motcua.correspondence.selectors import documents_of_dossier
from motcua.desk import signing
from motcua.desk.declaration import counter_rows, counter_values
from motcua.documents.models import SignedDocument
from motcua.documents.qr import qr_png
from motcua.dossiers import actions, printing
from motcua.dossiers.models import Consultation, Dossier
from motcua.dossiers.results import signed_result_of
from motcua.dossiers.selectors import QUEUES, access_dossier, queue, search
from motcua.dossiers.services import BY_NAME, allowed_actions, perform
from motcua.dossiers.states import LABEL_VI, NATIONAL_CODE, OPEN, State
from motcua.feedback.models import Rating, RatingChannel
from motcua.feedback.tokens import rating_url
from motcua.payments.selectors import orders_of_dossier


def _officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_officer:
        raise Http404
    return user


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    user = _officer(request)
    name = request.GET.get("queue", "all")
    if name not in QUEUES:
        name = "all"
    query = request.GET.get("q", "")[:100]
    rows = search(queue(user, name), query).order_by("due_at_current", "-submitted_at")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    context = {"page": page, "queue": name, "queues": QUEUES, "query": query}
    template = "desk/partials/dossier_rows.html" if request.htmx else "desk/dossier_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def dossier_detail(request: HttpRequest, key: str) -> HttpResponse:
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
    context: dict[str, Any] = {
        "dossier": dossier,
        "state_label": LABEL_VI[State(dossier.state)],
        "national_code": NATIONAL_CODE[State(dossier.state)],
        "events": dossier.events.select_related("unit").order_by("seq"),
        "components": dossier.components.all(),
        "consultations": dossier.consultations.select_related("agency"),
        # Issue #16 (R-DOC-17): the dossier's official documents, by consultation
        "doc_rows": (doc_rows := documents_of_dossier(user, dossier.pk)),
        "lettered": {cid for _, role, cid in doc_rows if role == "consultation"},
        "can_draft_letter": dossier.state == State.IN_CONSULTATION
        and has_role(user, dossier.competent_unit, DRAFTERS),
        "actions": allowed_actions(user, dossier),
        "forms": printing.available_forms(dossier),
        "result": _result_or_none(dossier),
        "orders": list(orders_of_dossier(dossier)),
        "can_scan": dossier.channel != "online"
        and has_role(user, dossier.receiving_unit, (Role.ONE_STOP_OFFICER,)),
        "rating_qr": _awaits_rating(dossier),
        "assign_to": _specialists(user, dossier),
        "consult_agencies": _consultable(user, dossier),
        "consult_rows": range(3),
        "answerable": _answerable(user, dossier),
        "signing_open": signing.session_open(request),
        "previewed": signing.previewed(request, dossier),
    }
    return render(request, "desk/dossier_detail.html", context)


def _specialists(user: User, dossier: Dossier) -> list[User]:
    """The competent unit's specialists, for its leader to assign one (R-PROC-01)."""
    if State(dossier.state) not in OPEN or not has_role(
        user, dossier.competent_unit, (Role.UNIT_LEADER,)
    ):
        return []
    if dossier.state in (State.SUBMITTED, State.RECEIVED):
        return []
    return [
        a.user
        for a in RoleAssignment.objects.filter(unit=dossier.competent_unit, role=Role.SPECIALIST)
        .select_related("user")
        .order_by("user__full_name")
    ]


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
    return list(
        Unit.objects.filter(
            province_id=dossier.competent_unit.province_id, kind__in=CONSULTED_KINDS
        )
        .exclude(pk=dossier.competent_unit_id)
        .order_by("kind", "name")
    )


def _answerable(user: User, dossier: Dossier) -> list[Consultation]:
    """Open consultations addressed to a unit where the user is specialist or leader."""
    scope = units_in_scope(user, (Role.SPECIALIST, Role.UNIT_LEADER))
    return [
        c
        for c in dossier.consultations.select_related("agency")
        if c.answered_at is None and c.agency_id in scope
    ]


@login_required
@require_POST
def assign(request: HttpRequest, key: str) -> HttpResponse:
    """The leader of the competent unit assigns the specialist who appraises (R-PROC-01)."""
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
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
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
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
    user = _officer(request)
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
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
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
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
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
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
        document = signed_result_of(dossier)
    except MotcuaError:
        raise Http404 from None
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ket-qua-{dossier.code}.pdf"'
    return response


@login_required
def dossier_form(request: HttpRequest, key: str, number: str) -> HttpResponse:
    """A form of the dossier as a PDF (01 receipt slip … 06 control sheet)."""
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
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
    user = _officer(request)
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
    user = _officer(request)
    try:
        dossier = access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
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
    return list(Unit.objects.filter(pk__in=scope, kind__in=RECEIVING_KINDS).order_by("name"))


@login_required
def counter_new(request: HttpRequest) -> HttpResponse:
    """The counter: pick the procedure, the competent unit, the applicant, tick the documents;
    then receive, ask for everything missing at once, or refuse — one step for the officer."""
    user = _officer(request)
    counters = _counter_units(user)
    if not counters:
        raise Http404
    at_unit = counters[0]
    code = (request.GET.get("procedure") or request.POST.get("procedure") or "").strip()
    procedure = (
        Procedure.objects.select_related("current")
        .filter(province_id=at_unit.province_id, code_national=code)
        .first()
        if code
        else None
    )
    version = procedure.current if procedure else None
    context: dict[str, Any] = {"at_unit": at_unit, "procedure_code": code, "version": version}
    if version is not None:
        units = list(version.implementing_units.order_by("name"))
        default = next(
            (u for u in units if u.commune_id and u.commune_id == at_unit.commune_id), None
        )
        context.update(
            competent_units=units,
            default_competent=default.pk if default else (units[0].pk if len(units) == 1 else None),
            checklist=list(version.components.filter(is_note=False)),
            declaration_rows=counter_rows(version, None, {}),
        )
    if request.method == "POST" and version is not None:
        data = request.POST
        competent = next(
            (u for u in context["competent_units"] if str(u.pk) == data.get("competent_unit")),
            None,
        )
        if competent is None:
            messages.error(request, "Hãy chọn cơ quan có thẩm quyền giải quyết.")
            return render(request, "desk/counter_new.html", context, status=422)
        declared, errors = counter_values(version, data)
        if errors:
            messages.error(request, _("Tờ khai còn mục chưa đúng: hãy sửa các mục được đánh dấu."))
            context.update(form_data=data, declaration_rows=counter_rows(version, data, errors))
            return render(request, "desk/counter_new.html", context, status=422)
        ticked = [
            actions.ComponentInput(int(pk), pages=int(data.get(f"pages_{pk}") or 0))
            for pk in data.getlist("components")
            if pk.isdigit()
        ]
        try:
            dossier = actions.do_create_dossier(
                code,
                acting_user=user,
                receiving_unit=at_unit,
                competent_unit=competent,
                channel="counter",
                applicant_kind=data.get("applicant_kind", "person"),
                applicant_name=data.get("applicant_name", ""),
                applicant_id_number=data.get("applicant_id_number", ""),
                applicant_phone=data.get("applicant_phone", ""),
                applicant_email=data.get("applicant_email", ""),
                applicant_address=data.get("applicant_address", ""),
                result_delivery=data.get("result_delivery", "counter"),
                components=ticked,
                declaration=declared,
            )
        except MotcuaError as exc:
            messages.error(request, exc.message)
            context["form_data"] = data
            context["declaration_rows"] = counter_rows(version, data, {})
            return render(request, "desk/counter_new.html", context, status=422)
        messages.success(request, "Đã ghi nhận hồ sơ. Kiểm tra thành phần rồi tiếp nhận.")
        return redirect("desk:dossier", key=str(dossier.pk))
    return render(request, "desk/counter_new.html", context)


__all__ = ["UnitKind"]
