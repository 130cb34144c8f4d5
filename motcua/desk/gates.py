"""The desk's one gate (issue #13 item 5): only officers use the desk, and anyone else gets the
answer a missing page gets, so that the desk's addresses reveal nothing; a dossier is reached
through the scoped selector, where missing and forbidden look the same (R-SEC: officers see only
their unit's work unless a rule grants more)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from motcua.accounts.models import User
from motcua.core.errors import MotcuaError
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import access_dossier


def officer(request: HttpRequest) -> User:
    """The signed-in officer; citizens and anonymous callers get a 404."""
    user = request.user
    if not isinstance(user, User) or not user.is_officer:
        raise Http404
    return user


def officer_and_dossier(request: HttpRequest, key: str | uuid.UUID) -> tuple[User, Dossier]:
    """The officer and the dossier ``key`` within their scope; a 404 otherwise."""
    user = officer(request)
    try:
        return user, access_dossier(user, key)
    except MotcuaError:
        raise Http404 from None
