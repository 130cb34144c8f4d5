"""Actions own their transaction (issue #13 item 5, docs/decisions/0018).

Every public action (``do_<verb>_<noun>``, anywhere under ``motcua``) runs in
``transaction.atomic(durable=True)`` through ``core.actions.action``; a durable block refuses to
open inside another transaction, so no caller can fold an action into a larger one (whose
rollback would undo what the action reported as done). Django checks durability inside the
test case's own transaction too (``Atomic._from_testcase``), so every test that calls an action
also proves that its caller opens no transaction around it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction

import motcua
from motcua.accounts.models import User
from motcua.core.actions import ACTIONS, alongside, is_action
from motcua.core.models import IdempotencyRecord
from motcua.notify.actions import do_mark_notifications_read
from motcua.notify.models import Notification

# Actions that call an outside system or render for seconds, outside any transaction
# (the lookup is logged even when it fails, R-PDP-07; a month-end report is drawn before its
# short INSERT, issue #12; the payment platform's INIT, STYLE): each of their write blocks is
# ``atomic(durable=True)`` in the body.
STAGED = {
    "motcua.dossiers.reuse.do_fetch_component",
    "motcua.insights.reports.do_generate_report",
    "motcua.payments.actions.do_start_online_payment",
}


def _modules() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(motcua.__path__, "motcua."):
        parts = info.name.split(".")
        if "tests" in parts or "migrations" in parts:
            continue
        found.append(importlib.import_module(info.name))
    return found


def _public_actions() -> dict[str, Callable[..., Any]]:
    """Every ``do_*`` function defined (not just imported) in a module of the project."""
    found: dict[str, Callable[..., Any]] = {}
    for module in _modules():
        for name, value in vars(module).items():
            if not name.startswith("do_") or not callable(value):
                continue
            home = getattr(inspect.unwrap(value), "__module__", None)
            if home == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def test_every_public_action_owns_a_durable_transaction() -> None:
    found = _public_actions()
    assert len(found) > 60  # the walk found the actions (76 on 2026-12-07)
    plain = sorted(name for name, fn in found.items() if not is_action(fn) and name not in STAGED)
    assert plain == [], "decorate with motcua.core.actions.action (docs/decisions/0018)"
    for name in STAGED:
        assert "atomic(durable=True)" in inspect.getsource(found[name]), name
    registered = {f"{inspect.unwrap(fn).__module__}.{fn.__name__}" for fn in ACTIONS.values()}
    assert {n for n, fn in found.items() if is_action(fn)} <= registered


@pytest.mark.django_db
def test_an_action_inside_a_transaction_is_refused_even_inside_a_test_case(
    citizen: User,
) -> None:
    """The suite's ordinary (rolled-back) tests check durability: a caller that wrapped an
    action in its own transaction fails every test that reaches it."""
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_mark_notifications_read(citizen)
    assert do_mark_notifications_read(citizen) == 0  # alone, it runs


def _someone() -> User:
    return User.objects.create_user(username="congdan.durable", kind=User.Kind.CITIZEN)


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_an_action_commits_alone_and_refuses_an_outer_transaction() -> None:
    citizen = _someone()
    Notification.objects.create(user=citizen, title="Hồ sơ đã có kết quả", body="")
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        do_mark_notifications_read(citizen)
    assert Notification.objects.get(user=citizen).read_at is None  # nothing written
    assert do_mark_notifications_read(citizen) == 1


@pytest.mark.flushes
@pytest.mark.django_db(transaction=True)
def test_a_ride_commits_with_its_action_or_not_at_all() -> None:
    """``alongside`` (used by ``core.idempotency.once``): the rider's row and the action's
    writes are one transaction; the rider failing undoes the action."""
    citizen = _someone()
    Notification.objects.create(user=citizen, title="Hồ sơ đã có kết quả", body="")

    def remember(count: int) -> None:
        IdempotencyRecord.objects.create(
            actor="test", scope="ride", key="k1", fingerprint="f", object_id=str(count)
        )

    with alongside(remember) as ride:
        assert do_mark_notifications_read(citizen) == 1
    assert ride.done
    assert IdempotencyRecord.objects.get(scope="ride").object_id == "1"

    Notification.objects.create(user=citizen, title="Hồ sơ cần bổ sung", body="")
    with pytest.raises(IntegrityError), alongside(remember):  # the same key again
        do_mark_notifications_read(citizen)
    assert Notification.objects.filter(user=citizen, read_at__isnull=True).count() == 1


def test_the_acting_user_is_keyword_only() -> None:
    """``do_x(…, *, acting_user)`` (issue #13 item 5): where an action names its actor, a call
    cannot pass it by position."""
    positional = []
    for name, fn in _public_actions().items():
        parameter = inspect.signature(inspect.unwrap(fn)).parameters.get("acting_user")
        if parameter is not None and parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            positional.append(name)
    assert positional == []
