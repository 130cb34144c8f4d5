"""Permissions of the insights app (``rules``), registered when the app is ready."""

from __future__ import annotations

from motcua.accounts.rules import add_perm, is_officer, is_provincial_admin, watches_province

add_perm("insights.view_reports", is_officer & watches_province)
add_perm("insights.edit_checklist", is_officer & is_provincial_admin)
