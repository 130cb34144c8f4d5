"""The counter's per-process copy of the version in force follows every change of it.

Each receipt reads the version row afresh and reloads the checklist when the version's
``updated_at`` moved (catalog.intake); these tests change the checklist the three ways it can
change and check that the next registration's checklist is the new one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.accounts.models import User
from motcua.agencies.models import Unit
from motcua.catalog import intake
from motcua.catalog.curated import apply_curated_checklists
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.core.clock import now
from motcua.dossiers.models import DossierComponent
from motcua.dossiers.tests.factories import BIRTH, submitted

pytestmark = pytest.mark.django_db


def _checklist_names(officer: User, at: Unit, competent: Unit) -> list[str]:
    dossier = submitted(officer, at=at, competent=competent, complete=False)
    return list(
        DossierComponent.objects.filter(dossier=dossier)
        .order_by("pk")
        .values_list("name", flat=True)
    )


def _version() -> ProcedureVersion:
    version = Procedure.objects.get(province_id=92, code_national=BIRTH).current
    assert version is not None
    return version


def test_a_component_edited_through_the_orm_is_seen_by_the_next_receipt(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    before = _checklist_names(officer_a, psc_a, pc_a)
    component = _version().components.filter(is_note=False).order_by("order").first()
    assert component is not None
    component.name = "Tờ khai đăng ký khai sinh (mẫu mới)"
    component.save()
    after = _checklist_names(officer_a, psc_a, pc_a)
    assert "Tờ khai đăng ký khai sinh (mẫu mới)" in after
    assert "Tờ khai đăng ký khai sinh (mẫu mới)" not in before


def test_a_change_made_by_another_process_is_seen_through_updated_at(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """Another process's bulk edit sends no signal here: the moved ``updated_at`` is what
    invalidates this process's copy."""
    _checklist_names(officer_a, psc_a, pc_a)  # cached now
    version = _version()
    Component.objects.filter(version=version, is_note=False).update(name="Giấy tờ đã sửa")
    assert set(_checklist_names(officer_a, psc_a, pc_a)) != {"Giấy tờ đã sửa"}  # not yet told
    ProcedureVersion.objects.filter(pk=version.pk).update(updated_at=now() + timedelta(seconds=1))
    assert set(_checklist_names(officer_a, psc_a, pc_a)) == {"Giấy tờ đã sửa"}


def test_curated_checklists_rewritten_in_bulk_are_seen_by_the_next_receipt(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    version = _version()
    version.components.filter(curated=True).delete()
    version.components.update(is_note=False)
    ProcedureVersion.objects.filter(pk=version.pk).update(updated_at=now())
    intake.forget_versions()
    published = _checklist_names(officer_a, psc_a, pc_a)
    assert apply_curated_checklists(version.procedure.province, force=True) >= 1
    curated = set(
        version.components.filter(curated=True, is_note=False).values_list("name", flat=True)
    )
    assert curated
    assert set(_checklist_names(officer_a, psc_a, pc_a)) == curated
    assert set(published) != curated


def test_one_statement_per_receipt_while_the_version_is_unchanged(
    psc_a: Unit, pc_a: Unit, django_assert_num_queries: object
) -> None:
    first = intake.version_in_force(BIRTH, 92, pc_a.pk)
    assert first is not None
    assert first.handled
    with django_assert_num_queries(1):  # type: ignore[operator]
        again = intake.version_in_force(BIRTH, 92, pc_a.pk)
    assert again is not None
    assert again.version == first.version
    assert again.version.field.name == first.version.field.name == _version().field.name
    assert again.checklist is first.checklist  # the per-process copy
    assert [c.name for c in again.checklist] == [
        c.name for c in _version().components.filter(is_note=False).order_by("order")
    ]
    assert not intake.version_in_force(BIRTH, 92, psc_a.pk).handled  # type: ignore[union-attr]
    assert intake.version_in_force("9.999999", 92, pc_a.pk) is None


def test_the_version_row_itself_is_read_afresh_on_every_receipt(
    officer_a: User, psc_a: Unit, pc_a: Unit
) -> None:
    """A version changed without moving ``updated_at`` (a bulk UPDATE, a script) is seen at
    once: only the checklist is kept between receipts (R-ORG-05 depends on ``boundary_free``)."""
    first = intake.version_in_force(BIRTH, 92, pc_a.pk)
    assert first is not None
    assert first.version.boundary_free
    ProcedureVersion.objects.filter(pk=first.version.pk).update(boundary_free=False)
    again = intake.version_in_force(BIRTH, 92, pc_a.pk)
    assert again is not None
    assert not again.version.boundary_free
