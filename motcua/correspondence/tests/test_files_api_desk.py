"""Item 7 "a documented API for every action" and the desk pages for files (R-DOC-20), the
registers (R-DOC-08), amendments (R-DOC-09) and take back (R-DOC-14): every officer action
(``do_*``) has an operation in the OpenAPI document; denials for anonymous callers, another
body's officer (404) and the wrong role (403)."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from fpdf import FPDF
from openpyxl import load_workbook

from conftest import logged_in
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.actions import ACTIONS
from motcua.correspondence.models import BodyProfile, CaseFile, Document
from motcua.correspondence.tests.factories import draft, to_released

pytestmark = pytest.mark.django_db

#: Actions run by the system, not by an officer over HTTP: taking packages and statuses from
#: the axis (jobs.receive_from_axis, jobs.poll_statuses) and the scheduled reminders/warnings.
SYSTEM_ACTIONS = {"do_receive_document", "do_record_statuses", "do_remind_clerk",
                  "do_warn_archive_due"}  # fmt: skip
#: officer action -> its operation (method, path) in the OpenAPI document
OPERATIONS = {
    "do_create_outgoing_document": ("post", "/api/v1/documents"),
    "do_draft_consultation_letter": ("post", "/api/v1/documents/consultation-letters"),
    "do_register_incoming_document": ("post", "/api/v1/documents/incoming"),
    "do_submit_document": ("post", "/api/v1/documents/{document_id}/submit"),
    "do_return_document": ("post", "/api/v1/documents/{document_id}/return"),
    "do_approve_document": ("post", "/api/v1/documents/{document_id}/approve"),
    "do_sign_document": ("post", "/api/v1/documents/{document_id}/sign"),
    "do_attach_file": ("post", "/api/v1/documents/{document_id}/attachments"),
    "do_release_document": ("post", "/api/v1/documents/{document_id}/release"),
    "do_revoke_document": ("post", "/api/v1/documents/{document_id}/revoke"),
    "do_update_document": ("post", "/api/v1/documents/{document_id}/update"),
    "do_take_back_document": ("post", "/api/v1/documents/{document_id}/take-back"),
    "do_copy_document": ("post", "/api/v1/documents/{document_id}/copy"),
    "do_register_document": ("post", "/api/v1/documents/{document_id}/register"),
    "do_assign_document": ("post", "/api/v1/documents/{document_id}/assign"),
    "do_handle_document": ("post", "/api/v1/documents/{document_id}/handle"),
    "do_forward_document": ("post", "/api/v1/documents/{document_id}/forward"),
    "do_complete_document": ("post", "/api/v1/documents/{document_id}/complete"),
    "do_open_case_file": ("post", "/api/v1/documents/case-files"),
    "do_file_document": ("post", "/api/v1/documents/case-files/{case_file_id}/documents"),
    "do_close_case_file": ("post", "/api/v1/documents/case-files/{case_file_id}/close"),
    "do_archive_case_file": ("post", "/api/v1/documents/case-files/{case_file_id}/archive"),
}


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_every_officer_action_of_correspondence_has_a_documented_operation() -> None:
    """Issue #16 item 7: list every registered ``do_*`` of the app; each officer action is an
    operation of the OpenAPI document with its error statuses documented."""
    import motcua.correspondence.api  # loads the officers' actions
    import motcua.correspondence.jobs  # noqa: F401 - loads the system's actions

    found = {
        name.rsplit(".", 1)[1] for name in ACTIONS if name.startswith("motcua.correspondence.")
    }
    assert found == set(OPERATIONS) | SYSTEM_ACTIONS
    spec = Client().get("/api/v1/openapi.json").json()
    for action, (method, path) in OPERATIONS.items():
        operation = spec["paths"][path][method]
        assert {"401", "403", "404", "409", "422"} <= set(operation["responses"]), action


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Phu luc")
    return bytes(pdf.output())


def test_files_over_the_api_with_denials(
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-20 over HTTP: the clerk opens, files, closes and hands over a file; anonymous
    callers get 401, another body's clerk 404, a specialist 403 where the step is the
    clerk's."""
    outsider = User.objects.create_user("vanthu.caikhe", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=outsider, unit=pc_b, role=Role.CLERK)
    body = {"unit_id": str(pc_a.pk), "year": 2026, "code": "01.HC",
            "title": "Hồ sơ kiện toàn Tổ một cửa", "retention_years": 10}  # fmt: skip
    assert post(Client(), "/api/v1/documents/case-files", body).status_code == 401
    assert post(logged_in(outsider), "/api/v1/documents/case-files", body).status_code == 404
    assert post(logged_in(specialist_a), "/api/v1/documents/case-files", body).status_code == 403
    made = post(logged_in(clerk_a), "/api/v1/documents/case-files", body)
    assert made.status_code == 201, made.content
    file_id = made.json()["id"]
    assert post(logged_in(clerk_a), "/api/v1/documents/case-files", body).status_code == 422
    doc = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    url = f"/api/v1/documents/case-files/{file_id}"
    filed = post(logged_in(specialist_a), f"{url}/documents", {"document_id": str(doc.pk)})
    assert filed.status_code == 200, filed.content
    assert filed.json()["documents"] == [str(doc.pk)]
    assert post(logged_in(outsider), f"{url}/close", {}).status_code == 404
    assert post(logged_in(specialist_a), f"{url}/close", {}).status_code == 403
    assert post(logged_in(clerk_a), f"{url}/close", {"closed_on": "2025-12-31"}).status_code == 422
    closed = post(logged_in(clerk_a), f"{url}/close", {"closed_on": "2026-01-05"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["archive_due"] == "2027-01-05"
    assert post(logged_in(clerk_a), f"{url}/close", {}).status_code == 409
    assert post(logged_in(leader_a, verified=True), f"{url}/archive", {}).status_code == 403
    handed = post(logged_in(clerk_a), f"{url}/archive", {})
    assert handed.status_code == 200, handed.content
    assert handed.json()["state"] == "archived"
    assert handed.json()["archive_number"] == 1
    listed = logged_in(leader_a, verified=True).get(
        f"/api/v1/documents/case-files?unit_id={pc_a.pk}&year=2026"
    )
    assert [f["code"] for f in listed.json()] == ["01.HC"]
    assert (
        logged_in(outsider)
        .get(f"/api/v1/documents/case-files?unit_id={pc_a.pk}&year=2026")
        .status_code
        == 404
    )


def test_registers_attachments_and_take_back_over_the_api(
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-08 registers as rows for the body's clerk and leader only; R-DOC-11 an appendix
    to a draft (base64 PDF, bad input 422); R-DOC-14 take back of a document sent to no other
    body is refused (422), a leader is not the clerk (403), another body 404."""
    outsider = User.objects.create_user("vanthu.caikhe", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=outsider, unit=pc_b, role=Role.CLERK)
    doc = draft(pc_a, specialist_a, leader_a)
    url = f"/api/v1/documents/{doc.pk}"
    body = {"name": "Phụ lục I", "pdf_base64": base64.b64encode(pdf_bytes()).decode()}
    assert post(Client(), f"{url}/attachments", body).status_code == 401
    assert post(logged_in(outsider), f"{url}/attachments", body).status_code == 404
    bad = post(logged_in(specialist_a), f"{url}/attachments", {**body, "pdf_base64": "%%%"})
    assert bad.status_code == 422
    made = post(logged_in(specialist_a), f"{url}/attachments", body)
    assert made.status_code == 201, made.content
    assert made.json()["name"] == "Phụ lục I"
    to_released(doc, specialist_a, leader_a, clerk_a)
    reason = {"reason": "Gửi nhầm"}
    leader = logged_in(leader_a, verified=True)
    assert post(leader, f"{url}/take-back", reason).status_code == 403
    assert post(logged_in(outsider), f"{url}/take-back", reason).status_code == 404
    taken = post(logged_in(clerk_a), f"{url}/take-back", reason)  # sent to the department
    assert taken.status_code == 200, taken.content
    assert taken.json()["events"][-1]["kind"] == "document:take_back:requested"
    assert post(logged_in(clerk_a), f"{url}/take-back", {"reason": ""}).status_code == 422
    rows = logged_in(clerk_a).get(f"/api/v1/documents/registers/outgoing?unit_id={pc_a.pk}&year="
                                  f"{doc.year}")  # fmt: skip
    assert rows.status_code == 200
    assert rows.json()["rows"][0][0] == doc.number_and_symbol
    assert (
        logged_in(specialist_a)
        .get(f"/api/v1/documents/registers/outgoing?unit_id={pc_a.pk}&year=2026")
        .status_code
        == 404
    )
    assert (
        logged_in(clerk_a)
        .get(f"/api/v1/documents/registers/nothing?unit_id={pc_a.pk}&year=2026")
        .status_code
        == 404
    )


def test_the_desk_files_page_opens_closes_hands_over_and_prints_the_registers(
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-20 in the desk: the clerk opens a file in the year's list, an officer files a
    released document from its page, the clerk closes the file and hands it over; the
    registers print as PDF and XLSX (R-DOC-08); another body's clerk gets 404."""
    client = logged_in(clerk_a)
    page = client.get(reverse("desk:case-files"))
    assert page.status_code == 200
    assert reverse("desk:case-files") in client.get(reverse("desk:documents")).content.decode()
    opened = client.post(reverse("desk:case-file-open"), {
        "unit": str(pc_a.pk), "year": "2026", "code": "02.VP", "title": "Hồ sơ hội nghị",
        "retention_years": "permanent",
    })  # fmt: skip
    assert opened.status_code == 302
    case_file = CaseFile.objects.get(owner_unit=pc_a, code="02.VP")
    assert case_file.retention_years is None
    doc = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    detail = logged_in(specialist_a).get(reverse("desk:document", args=[doc.pk])).content.decode()
    assert 'data-step="file"' in detail
    act = reverse("desk:document-act", args=[doc.pk, "file"])
    logged_in(specialist_a).post(act, {"case_file": str(case_file.pk)})
    assert case_file.entries.filter(document=doc).exists()
    detail = client.get(reverse("desk:document", args=[doc.pk])).content.decode()
    assert 'data-step="file"' not in detail  # filed once
    assert 'data-step="update"' in detail  # the clerk's update of a released document
    assert 'data-step="take_back"' in detail  # sent over the axis to the department
    update = reverse("desk:document-act", args=[doc.pk, "update"])
    client.post(update, {"summary": "Về việc kiện toàn Tổ một cửa", "pages": "x", "reason": "y"})
    doc.refresh_from_db()
    assert doc.summary == "Về việc kiện toàn Tổ công tác một cửa"  # bad pages: nothing written
    client.post(update, {"summary": "Về việc kiện toàn Tổ một cửa", "pages": "2",
                         "reason": "Sửa trích yếu"})  # fmt: skip
    doc.refresh_from_db()
    assert (doc.summary, doc.pages) == ("Về việc kiện toàn Tổ một cửa", 2)
    client.post(reverse("desk:document-act", args=[doc.pk, "take_back"]), {"reason": "Gửi nhầm"})
    assert doc.events.filter(kind="document:take_back:requested").count() == 1
    leader_page = (
        logged_in(leader_a, verified=True).get(reverse("desk:document", args=[doc.pk])).content
    )
    assert b"?replaces=" in leader_page
    assert b"?corrects=" in leader_page
    close = reverse("desk:case-file-act", args=[case_file.pk, "close"])
    client.post(close, {"closed_on": "2026-02-30"})  # invalid: nothing written
    case_file.refresh_from_db()
    assert case_file.state == "open"
    client.post(close, {"closed_on": "2026-01-05"})
    case_file.refresh_from_db()
    assert case_file.archive_due is not None
    client.post(reverse("desk:case-file-act", args=[case_file.pk, "archive"]))
    case_file.refresh_from_db()
    assert case_file.archive_number == 1
    listing = client.get(reverse("desk:case-files") + "?year=2026").content.decode()
    assert "02.VP" in listing
    assert "Đã nộp lưu" in listing
    xlsx = client.get(reverse("desk:register", args=["files", "xlsx"]) + "?year=2026")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert [r[0] for r in sheet.iter_rows(values_only=True)][2] == "02.VP"
    pdf = client.get(reverse("desk:register", args=["follow-up", "pdf"]) + "?year=2026")
    assert pdf.content.startswith(b"%PDF-")
    outsider = User.objects.create_user("vanthu.caikhe", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=outsider, unit=pc_b, role=Role.CLERK)
    other = logged_in(outsider)
    assert other.get(reverse("desk:case-files") + f"?unit={pc_a.pk}").status_code == 404
    assert other.post(close).status_code == 404
    assert (
        other.get(
            reverse("desk:register", args=["outgoing", "pdf"]) + f"?unit={pc_a.pk}"
        ).status_code
        == 404
    )
    assert Client().get(reverse("desk:case-files")).status_code in (302, 404)


def test_the_desk_drafts_a_replacement_of_a_released_document(
    profile_a: BodyProfile, pc_a: Unit, specialist_a: User, leader_a: User, clerk_a: User
) -> None:
    """R-DOC-09: "replace" opens the draft form for a document of the same form linked to the
    released one; a correction letter is an official letter (công văn)."""
    doc = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    client = logged_in(specialist_a)
    form = client.get(reverse("desk:document-new") + f"?replaces={doc.pk}").content.decode()
    assert f'name="replaces" value="{doc.pk}"' in form
    done = client.post(reverse("desk:document-new"), {
        "replaces": str(doc.pk), "unit": str(pc_a.pk), "type_code": "quyet_dinh",
        "summary": "Về việc kiện toàn Tổ công tác một cửa (thay thế)", "content": "Điều 1.",
        "signer": str(leader_a.pk), "signer_position": "Chủ tịch",
    })  # fmt: skip
    assert done.status_code == 302, done.content.decode()[:500]
    made = Document.objects.get(original=doc)
    assert made.relation == "replaces"
    wrong = client.post(reverse("desk:document-new"), {
        "corrects": str(doc.pk), "unit": str(pc_a.pk), "type_code": "quyet_dinh",
        "summary": "Đính chính", "signer": str(leader_a.pk), "signer_position": "Chủ tịch",
    })  # fmt: skip
    assert wrong.status_code == 422
    assert "công văn" in wrong.content.decode()
