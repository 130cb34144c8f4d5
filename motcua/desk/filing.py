"""Desk pages for files and archiving (R-DOC-20) and the printed registers (R-DOC-08): the
body's yearly list of files with the archive warnings, opening, closing and handing over a
file, and the registers (outgoing, incoming, follow-up of incoming handling, list of files,
archive's register) as PDF or XLSX. Thin views over ``correspondence.filing`` and its
selectors; the actions decide (roles, states), these pages only offer."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.clock import local_today
from motcua.core.errors import MotcuaError, ValidationFailed
from motcua.correspondence import filing, selectors
from motcua.correspondence.models import BodyProfile, CaseFile, CaseFileState
from motcua.desk.gates import officer

STATE_VI = {CaseFileState.OPEN: "Đang lập", CaseFileState.CLOSED: "Đã kết thúc",
            CaseFileState.ARCHIVED: "Đã nộp lưu"}  # fmt: skip
REGISTERS: dict[str, tuple[str, Callable[[Unit, int], selectors.Register]]] = {
    "outgoing": ("so-van-ban-di", selectors.outgoing_register),
    "incoming": ("so-van-ban-den", selectors.incoming_register),
    "follow-up": ("so-theo-doi-giai-quyet", selectors.follow_up_register),
    "files": ("danh-muc-ho-so", filing.file_list),
    "archive": ("so-nop-luu", filing.archive_register),
}


def keeper_units(user: User) -> list[Unit]:
    """Bodies (with a document profile) where ``user`` keeps the files: clerk or leader."""
    ids = RoleAssignment.objects.filter(user=user, role__in=filing.KEEPERS).values("unit_id")
    bodies = BodyProfile.objects.values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).filter(pk__in=bodies).order_by("name"))


def _chosen(units: list[Unit], value: str) -> Unit:
    if not units:
        raise Http404
    if not value:
        return units[0]
    unit = next((u for u in units if str(u.pk) == value), None)
    if unit is None:
        raise Http404  # another body: not seen
    return unit


def _year(value: str) -> int:
    today = local_today()
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year + 1 else today.year


def _files_url(unit: Unit, year: int) -> str:
    return f"{reverse('desk:case-files')}?unit={unit.pk}&year={year}"


@login_required
def case_files(request: HttpRequest) -> HttpResponse:
    """The body's yearly list of files, the files due at the archive (R-DOC-20 warning), the
    form to open a file and the registers to print."""
    user = officer(request)
    units = keeper_units(user)
    unit = _chosen(units, request.GET.get("unit", ""))
    year = _year(request.GET.get("year", ""))
    files = list(
        CaseFile.objects.filter(owner_unit=unit, year=year)
        .select_related("keeper")
        .order_by("code")
    )
    counts = {f.pk: f.entries.count() for f in files}
    for f in files:
        f.state_label = STATE_VI[CaseFileState(f.state)]  # type: ignore[attr-defined]
        f.count = counts[f.pk]  # type: ignore[attr-defined]
    clerk = RoleAssignment.objects.filter(user=user, unit=unit, role=Role.CLERK).exists()
    return render(
        request,
        "desk/documents/files.html",
        {
            "units": units,
            "unit": unit,
            "year": year,
            "years": list(range(local_today().year + 1, local_today().year - 5, -1)),
            "files": files,
            "due": filing.due_for_archive(unit),
            "is_clerk": clerk,
            "registers": [
                ("outgoing", "Sổ đăng ký văn bản đi"),
                ("incoming", "Sổ đăng ký văn bản đến"),
                ("follow-up", "Sổ theo dõi giải quyết văn bản đến"),
                ("files", "Danh mục hồ sơ"),
                ("archive", "Sổ nộp lưu hồ sơ"),
            ],
            "data": request.POST,
        },
    )


def _retention(post: Any) -> int | None:
    text = post.get("retention_years", "").strip()
    if text == "permanent":
        return None
    if not text.isdigit():
        raise ValidationFailed(
            "Thời hạn bảo quản từ 1 đến 100 năm, hoặc vĩnh viễn.",
            "The retention is 1 to 100 years, or permanent.",
            field="retention_years",
        )
    return int(text)


@login_required
@require_POST
def case_file_open(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    unit = _chosen(keeper_units(user), request.POST.get("unit", "") or "-")
    year = _year(request.POST.get("year", ""))
    try:
        made = filing.do_open_case_file(
            unit, year=year, code=request.POST.get("code", ""),
            title=request.POST.get("title", ""), retention_years=_retention(request.POST),
            construction=request.POST.get("construction") == "on", acting_user=user,
        )  # fmt: skip
    except MotcuaError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã mở hồ sơ {made.code} trong danh mục năm {year}.")
    return redirect(_files_url(unit, year))


def _case_file(user: User, pk: uuid.UUID) -> CaseFile:
    units = keeper_units(user)
    found = CaseFile.objects.filter(pk=pk, owner_unit__in=units).select_related("owner_unit")
    case_file = found.first()
    if case_file is None:
        raise Http404
    return case_file


@login_required
@require_POST
def case_file_act(request: HttpRequest, case_file_id: uuid.UUID, action: str) -> HttpResponse:
    """Close a file (the work ended, on a given day) or hand it over to the archive."""
    user = officer(request)
    case_file = _case_file(user, case_file_id)
    try:
        if action == "close":
            text = request.POST.get("closed_on", "")
            try:
                day = date.fromisoformat(text) if text else None
            except ValueError:
                raise ValidationFailed(
                    "Ngày kết thúc công việc không hợp lệ.", "Invalid end date.",
                    field="closed_on",
                ) from None  # fmt: skip
            filing.do_close_case_file(case_file, acting_user=user, closed_on=day)
            messages.success(request, f"Đã kết thúc hồ sơ {case_file.code}.")
        elif action == "archive":
            filing.do_archive_case_file(case_file, acting_user=user)
            messages.success(
                request,
                f"Đã nộp lưu hồ sơ {case_file.code}, số {case_file.archive_number:02d}"
                f"/{case_file.archive_year}.",
            )
        else:
            raise Http404
    except MotcuaError as exc:
        messages.error(request, exc.message)
    return redirect(_files_url(case_file.owner_unit, case_file.year))


@login_required
def register_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    """A register of the body and year, printed with all its columns (R-DOC-08) as PDF or
    XLSX; only for the body's clerks and leaders."""
    user = officer(request)
    if kind not in REGISTERS or file_format not in ("pdf", "xlsx"):
        raise Http404
    unit = _chosen(keeper_units(user), request.GET.get("unit", ""))
    year = _year(request.GET.get("year", ""))
    slug, build = REGISTERS[kind]
    register = build(unit, year)
    if file_format == "pdf":
        body, content_type = selectors.register_pdf(register), "application/pdf"
    else:
        body = selectors.register_xlsx(register)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{year}.{file_format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
