"""Downloadable form templates, internal process steps and result documents on the procedure page
(issue #4 points 1 and 3; R-CAT-01, R-TIME-02, R-TIME-03, R-VER-01)."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from django.test import Client

from conftest import logged_in
from motcua.accounts.models import User
from motcua.catalog.components import classify
from motcua.catalog.form_pdf import declares_form, form_title
from motcua.catalog.models import Component, ProcedureVersion, ProcessStep
from motcua.catalog.process import default_steps, limit_hours, process_for, results_for

BIRTH = "1.001193"  # Đăng ký khai sinh: same day, 15:00 rule (DOMAIN.md §14)


def pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def current(code: str) -> ProcedureVersion:
    version = (
        ProcedureVersion.objects.filter(procedure__province_id=92, procedure__code_national=code)
        .order_by("-version")
        .first()
    )
    assert version is not None
    return version


# --------------------------------------------------------------------------- forms


@pytest.mark.django_db
def test_the_procedure_page_links_the_declared_form_of_its_version(client: Client) -> None:
    """GIVEN birth registration, whose checklist declares "Tờ khai đăng ký khai sinh theo mẫu"
    WHEN the page is shown THEN it links a PDF of that form under the catalogue version, and the
    PDF's text carries the form's name with its diacritics and its legal basis (R-VER-01)."""
    version = current(BIRTH)
    form = next(c for c in version.components.all() if declares_form(c))
    assert fold_free(form.name).startswith("Tờ khai đăng ký khai sinh")
    page = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    url = f"/thu-tuc/{BIRTH}/phien-ban-{version.version}/mau-{form.order}.pdf"
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"v{version.version}" in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Luật Hộ tịch 2014" in text  # the component's legal basis
    assert f"phiên bản {version.version}" in text


def fold_free(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.django_db
def test_a_component_without_a_declared_form_has_no_download(client: Client) -> None:
    version = current(BIRTH)
    plain = next(c for c in version.components.all() if not c.is_note and not declares_form(c))
    url = f"/thu-tuc/{BIRTH}/phien-ban-{version.version}/mau-{plain.order}.pdf"
    assert client.get(url).status_code == 404
    assert client.get(f"/thu-tuc/{BIRTH}/phien-ban-999/mau-1.pdf").status_code == 404


def test_forms_are_recognised_from_the_published_wording() -> None:
    def component(name: str, form_template: str = "", is_note: bool = False) -> Component:
        return Component(name=name, form_template=form_template, is_note=is_note)

    assert declares_form(component("Tờ khai đăng ký kết hôn theo mẫu"))
    assert declares_form(component("Đơn đề nghị cấp bản sao trích lục hộ tịch"))
    assert declares_form(component("Bản kê khai tài sản", form_template="Mẫu số 02/TK"))
    assert not declares_form(component("Giấy chứng sinh"))
    assert not declares_form(component("Tờ khai … (lưu ý cho cán bộ)", is_note=True))
    assert form_title(component("Tờ khai đăng ký khai sinh theo mẫu (nếu nộp trực tiếp)")) == (
        "Tờ khai đăng ký khai sinh"
    )
    assert form_title(component("Đơn đề nghị theo Mẫu số 01/TTDS; kèm bản sao")) == "Đơn đề nghị"


def test_a_form_reference_needs_a_number() -> None:
    """ "Mẫu hộ tịch điện tử" is no form number (it used to be read as "Mẫu h")."""
    assert classify("Mẫu hộ tịch điện tử tương tác đăng ký khai sinh").form_template == ""
    assert classify("Tờ khai theo mẫu số 01/TTDS").form_template == "mẫu số 01/TTDS"


# --------------------------------------------------------------------------- process steps


@pytest.mark.django_db
def test_a_daily_procedure_shows_the_result_the_law_names(client: Client) -> None:
    """Birth registration: the Chairman issues the birth certificate (Luật Hộ tịch 2014
    Art. 16(2)); not a default line."""
    results = results_for(current(BIRTH))
    assert [(r.name, r.legal_basis, r.is_default) for r in results] == [
        ("Giấy khai sinh (bản chính)", "Luật Hộ tịch 2014 Điều 16(2)", False)
    ]
    page = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert "Giấy khai sinh (bản chính)" in page
    assert "căn cứ: Luật Hộ tịch 2014 Điều 16(2)" in page


@pytest.mark.parametrize(
    ("unit", "value", "hours"),
    [
        ("working_days", "5", "40"),  # R-TIME-03: 8 h = 1 working day
        ("working_days", "0.5", "4"),
        ("working_hours", "6", "6"),
        ("same_day", None, "8"),
        ("days", "30", "168"),  # 30 × 5/7 = 21.4 → 21 working days
        ("days", "1", "4"),  # never below half a day
        ("unknown", None, None),
        ("working_days", "0", None),
    ],
)
def test_the_limit_in_working_hours(unit: str, value: str | None, hours: str | None) -> None:
    result = limit_hours(unit, Decimal(value) if value is not None else None)
    assert result == (Decimal(hours) if hours is not None else None)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        # From 2 working days: receive, approve and return 0.5 day each (as the desk's step
        # deadlines), appraisal the rest (R-TIME-02).
        ("40", ["4", "28", "4", "4"]),
        ("16", ["4", "4", "4", "4"]),
        ("20", ["4", "8", "4", "4"]),
        ("68", ["4", "56", "4", "4"]),
        # Below 2 working days: quarters in half hours, the appraisal takes the remainder.
        ("8", ["2", "2", "2", "2"]),
        ("12", ["3", "3", "3", "3"]),
        ("6", ["1.5", "1.5", "1.5", "1.5"]),
        ("5", ["1", "2", "1", "1"]),
    ],
)
def test_the_default_process_sums_to_the_limit(total: str, expected: list[str]) -> None:
    steps = default_steps(Decimal(total))
    assert [s.hours for s in steps] == [Decimal(h) for h in expected]
    assert sum(s.hours for s in steps) == Decimal(total)
    assert [s.performer for s in steps] == [
        ProcessStep.Performer.ONE_STOP_OFFICER,
        ProcessStep.Performer.SPECIALIST,
        ProcessStep.Performer.UNIT_LEADER,
        ProcessStep.Performer.ONE_STOP_OFFICER,
    ]
    if Decimal(total) >= 16 and Decimal(total) % 4 == 0:
        assert all(s.hours % 4 == 0 for s in steps)  # whole half days (R-TIME-02)


def test_durations_read_in_days_or_hours() -> None:
    steps = default_steps(Decimal(40))
    assert [s.duration_text for s in steps] == [
        "0,5 ngày làm việc",
        "3,5 ngày làm việc",
        "0,5 ngày làm việc",
        "0,5 ngày làm việc",
    ]
    assert default_steps(Decimal(6))[0].duration_text == "1,5 giờ làm việc"


@pytest.mark.django_db
def test_the_page_shows_the_default_process_until_the_province_enters_its_own(
    client: Client,
) -> None:
    """GIVEN a 5-working-day procedure with no steps in the catalogue THEN the page shows the
    default four steps marked "to be confirmed"; WHEN the province enters its steps THEN those
    are shown instead, unmarked."""
    version = (
        ProcedureVersion.objects.filter(
            procedure__province_id=92, time_limit_unit="working_days", time_limit_value=5
        )
        .select_related("procedure")
        .first()
    )
    assert version is not None
    code = version.procedure.code_national
    process = process_for(version)
    assert process is not None
    assert process.is_default
    assert process.total_hours == Decimal(40)
    page = client.get(f"/thu-tuc/{code}/").content.decode()
    assert "Quy trình xử lý nội bộ" in page
    assert "chờ tỉnh xác nhận" in page
    assert re.search(r"Thẩm định, xử lý hồ sơ</td><td>Chuyên viên xử lý</td><td>3,5 ngày", page)
    assert "Kết quả giải quyết" in page
    assert "(mặc định, chờ tỉnh xác nhận)" in page  # the generic result line

    ProcessStep.objects.create(
        version=version,
        order=1,
        name="Kiểm tra hồ sơ",
        duration_hours=Decimal(12),
        performer="specialist",
    )
    ProcessStep.objects.create(
        version=version,
        order=2,
        name="Ký duyệt",
        duration_hours=Decimal(28),
        performer="unit_leader",
    )
    version.results.create(name="Giấy phép", result_code="GP-01")
    page = client.get(f"/thu-tuc/{code}/").content.decode()
    assert "Kiểm tra hồ sơ</td><td>Chuyên viên xử lý</td><td>1,5 ngày làm việc" in page
    assert "Quy trình mặc định" not in page
    assert "Giấy phép" in page
    assert "GP-01" in page
    assert "mặc định, chờ tỉnh xác nhận" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hours", "valid"), [("4", True), ("1.5", True), ("0", False), ("1.2", False)]
)
def test_the_province_enters_steps_in_half_hours(hours: str, valid: bool) -> None:
    """R-TIME-02/03: durations in working hours, half a day = 4 h; nothing finer than 0.5 h."""
    from motcua.catalog.admin import ProcessStepForm

    form = ProcessStepForm(
        data={"order": 1, "name": "Thẩm định", "duration_hours": hours, "performer": "specialist"}
    )
    assert form.is_valid() is valid


@pytest.mark.django_db
def test_the_admin_edits_the_steps_of_a_version(provincial_admin: User) -> None:
    """The province replaces the default process by its own steps (admin, second factor)."""
    client = logged_in(provincial_admin, verified=True)
    version = current(BIRTH)
    url = f"/admin/catalog/procedureversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Các bước xử lý nội bộ" in page.content.decode()
    formsets = {
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-0-order": "1",
        "steps-0-name": "Thẩm định và ghi sổ",
        "steps-0-duration_hours": "4",
        "steps-0-performer": "specialist",
        "steps-0-version": str(version.pk),
        "results-TOTAL_FORMS": "1",
        "results-INITIAL_FORMS": "0",
        "results-0-name": "Giấy khai sinh (bản chính)",
        "results-0-version": str(version.pk),
    }
    assert client.post(url, formsets).status_code == 302
    process = process_for(version)
    assert process is not None
    assert not process.is_default
    assert [(s.name, s.hours) for s in process.steps] == [("Thẩm định và ghi sổ", Decimal(4))]
    assert [r.name for r in version.results.all()] == ["Giấy khai sinh (bản chính)"]
