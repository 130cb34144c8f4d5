"""One answer to "does this request want a fragment of the page?" (issue #13 item 5): an htmx
request (``django_htmx``'s middleware sets ``request.htmx``) that is not a boosted navigation,
optionally aimed at one target. Without JavaScript, or on a boosted link, the whole page."""

from __future__ import annotations

from django.http import HttpRequest


def wants_fragment(request: HttpRequest, target: str | None = None) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx or htmx.boosted:
        return False
    return target is None or htmx.target == target
