"""Electronic copies: sao y, trích sao, sao lục (R-DOC-18), signed by the body and verified by
pdfsig, numbered in the body's yearly copy series."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import logged_in
from motcua.accounts.models import Role, RoleAssignment, User
from motcua.agencies.models import Unit
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.correspondence import actions as a
from motcua.correspondence import selectors
from motcua.correspondence.copies import do_copy_document
from motcua.correspondence.models import BodyProfile, Document, Security
from motcua.correspondence.tests.factories import draft, to_released

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def tool(name: str, pdf: Path, *args: str) -> str:
    assert shutil.which(name), f"poppler-utils ({name}) is required"
    run = subprocess.run([name, *args, str(pdf), *(["-"] if name == "pdftotext" else [])],
                         capture_output=True, text=True, check=False)  # fmt: skip
    return run.stdout


def test_copies_are_numbered_in_their_series_and_signed_by_the_body(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
    tmp_path: Path,
) -> None:
    """R-DOC-18: a sao y keeps the original's two signatures and adds the body's, at the top
    right of page 1, no image, with the kind, number, body and ISO 8601 Vietnam time; pdfsig
    verifies all three. A trích sao takes the chosen pages; a sao lục is made from the sao y.
    The copy series runs 01, 02, 03 beside the main series (R-DOC-05)."""
    original = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    with pytest.raises(PermissionDenied):
        do_copy_document(original, kind="ban_sao_y", acting_user=specialist_a)
    with pytest.raises(ValidationFailed, match="Sao lục"):
        do_copy_document(original, kind="ban_sao_luc", acting_user=clerk_a)
    with pytest.raises(ValidationFailed, match="chọn các trang"):
        do_copy_document(original, kind="ban_trich_sao", acting_user=clerk_a)
    with pytest.raises(ValidationFailed, match="từ 1 đến 1"):
        do_copy_document(original, kind="ban_trich_sao", pages=[2], acting_user=clerk_a)

    copy = do_copy_document(original, kind="ban_sao_y", acting_user=clerk_a)
    assert (copy.series, copy.number, copy.number_and_symbol) == ("copy", 1, "01/SY-UBND")
    assert (copy.original_id, copy.relation, copy.state) == (original.pk, "copy", "released")
    out = tmp_path / "sao-y.pdf"
    out.write_bytes(copy.pdf.read())
    report = tool("pdfsig", out)
    assert report.count("Signature is Valid.") == 3
    assert report.count("Signature Validation: Signature is Valid.") == 3
    # The stamp sits in the top margin (20 mm = 56.7 pt), above the national title.
    crop = ["-f", "1", "-l", "1", "-x", "0", "-y", "0", "-W", "595", "-H", "56"]
    stamp = tool("pdftotext", out, "-layout", *crop)
    assert stamp.split() == ["SAO", "Y", "Số:", "01/SY-UBND", *pc_a.name.split(),
                             "2026-03-10T09:00:00+07:00"]  # fmt: skip

    excerpt = do_copy_document(original, kind="ban_trich_sao", pages=[1], acting_user=clerk_a)
    out = tmp_path / "trich-sao.pdf"
    out.write_bytes(excerpt.pdf.read())
    assert tool("pdfsig", out).count("Signature is Valid.") == 1
    assert "TRÍCH SAO" in tool("pdftotext", out)
    assert excerpt.number_and_symbol == "02/TrS-UBND"

    derived = do_copy_document(copy, kind="ban_sao_luc", acting_user=clerk_a)
    out = tmp_path / "sao-luc.pdf"
    out.write_bytes(derived.pdf.read())
    assert tool("pdfsig", out).count("Signature is Valid.") == 4
    assert derived.number_and_symbol == "03/SL-UBND"
    second = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    assert second.number == 2  # the main series is apart
    notes = {row[0]: row[-1] for row in selectors.outgoing_register(pc_a, 2026).rows}
    assert notes["01/SY-UBND"] == "Sao từ văn bản 01/QĐ-UBND"
    assert notes["03/SL-UBND"] == "Sao từ văn bản 01/SY-UBND"
    kinds = [e.payload["kind"] for e in original.events.filter(kind="document:copied")]
    assert kinds == ["ban_sao_y", "ban_trich_sao"]


def test_drafts_secret_and_revoked_documents_are_not_copied(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-18 copies what the body holds as released; R-DOC-12: never a secret one;
    R-DOC-15: not a revoked one. Nothing is numbered by a refused copy."""
    with pytest.raises(ValidationFailed):
        do_copy_document(draft(pc_a, specialist_a, leader_a), kind="ban_sao_y",
                         acting_user=clerk_a)  # fmt: skip
    secret = draft(pc_a, specialist_a, leader_a, security=Security.SECRET)
    with pytest.raises(ValidationFailed, match="R-DOC-12"):
        do_copy_document(secret, kind="ban_sao_y", acting_user=clerk_a)
    released = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    a.do_revoke_document(released, reason="Sai thẩm quyền", acting_user=leader_a)
    with pytest.raises(ValidationFailed):
        do_copy_document(released, kind="ban_sao_y", acting_user=clerk_a)
    with pytest.raises(ValidationFailed, match="Hình thức sao"):
        do_copy_document(released, kind="ban_chup", acting_user=clerk_a)
    assert not Document.objects.filter(series="copy").exists()


def test_the_api_copies_and_updates_a_released_document(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    pc_b: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-18 and R-DOC-13 type 2 over the API: the clerk copies (201) and updates (200);
    another role is refused (403), another body's clerk sees nothing (404)."""
    original = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    url = f"/api/v1/documents/{original.pk}"
    outsider = User.objects.create_user("vanthu.caikhe", kind=User.Kind.OFFICER)
    RoleAssignment.objects.create(user=outsider, unit=pc_b, role=Role.CLERK)
    body = {"kind": "ban_sao_y"}
    assert post(logged_in(outsider), f"{url}/copy", body).status_code == 404
    assert post(logged_in(specialist_a), f"{url}/copy", body).status_code == 403
    made = post(logged_in(clerk_a), f"{url}/copy", body)
    assert made.status_code == 201, made.content
    copied = made.json()
    assert (copied["number_and_symbol"], copied["relation"]) == ("01/SY-UBND", "copy")
    assert copied["original_id"] == str(original.pk)
    bad = post(logged_in(clerk_a), f"{url}/copy", {"kind": "ban_trich_sao"})
    assert bad.status_code == 422
    assert bad.json()["message"] == "Trích sao: hãy chọn các trang cần sao."
    fix = {"reason": "Sửa trích yếu", "summary": "Về việc kiện toàn Tổ một cửa"}
    changed = post(logged_in(clerk_a), f"{url}/update", fix)
    assert changed.status_code == 200, changed.content
    assert changed.json()["summary"] == "Về việc kiện toàn Tổ một cửa"
    assert changed.json()["events"][-1]["kind"] == "document:updated"


def test_the_clerk_copies_from_the_documents_page(
    clock: time_machine.Traveller,
    profile_a: BodyProfile,
    pc_a: Unit,
    specialist_a: User,
    leader_a: User,
    clerk_a: User,
) -> None:
    """R-DOC-18 on the desk: the released document's page offers the clerk (only) a copy form
    without script; posting it makes the copy; an excerpt without pages is refused in
    Vietnamese and numbers nothing."""
    original = to_released(draft(pc_a, specialist_a, leader_a), specialist_a, leader_a, clerk_a)
    page = reverse("desk:document", args=[original.pk])
    act = reverse("desk:document-act", args=[original.pk, "copy"])
    assert 'data-step="copy"' in logged_in(clerk_a).get(page).content.decode()
    assert 'data-step="copy"' not in logged_in(specialist_a).get(page).content.decode()
    client = logged_in(clerk_a)
    refused = client.post(act, {"kind": "ban_trich_sao", "pages": ""}, follow=True)
    assert "Trích sao: hãy chọn các trang cần sao." in refused.content.decode()
    assert not Document.objects.filter(series="copy").exists()
    done = client.post(act, {"kind": "ban_sao_y"}, follow=True)
    assert "SAO Y số 01/SY-UBND" in done.content.decode()
    assert Document.objects.get(series="copy").original_id == original.pk
