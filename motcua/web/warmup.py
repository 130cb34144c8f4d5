"""Warm a web process up when it starts, before it serves anyone (issue #14 item 9).

A fresh process used to pay on its first requests for what every later request finds ready:
importing the URL configuration (every app's views and what they import: ≈ 1,300 modules, 2–7 s
on this shared machine), compiling the page templates, opening the database, and the assistant's
retrieval index that the catalogue search ranks with (loaded from its saved file, or built when
there is none). The first page took 5.7 s, the e-form 7.3 s, the search 10.8 s.

:func:`start` does this work when the WSGI application is created (``config/wsgi.py``: only web
servers import it, never a management command or the worker), **before the server listens**:

* gunicorn runs with ``--preload`` (Procfile): the master process loads the application and warms
  it up once, then forks its workers, which share the loaded modules and index (copy-on-write);
  its socket is opened after the load, so no request waits behind the warm-up;
* ``manage.py runserver`` imports the application before it binds its port, likewise.

A thread was tried first (the process answers at once and warms up meanwhile): a request that
came during the warm-up waited for the same imports behind Python's import lock and competed for
the GIL with the index load, so the first page was no faster (``motcua bench felt``, figures in
bench/README.md); and a thread running in gunicorn's master at fork time is unsafe.

``MOTCUA_WARM_UP`` (on by default, off under tests) switches it off; the database connection the
warm-up opened is closed before the workers fork.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.test import Client  # the in-process browser of _serve_pages
from django.urls import get_resolver

from motcua.agencies.models import Unit
from motcua.assistant import index as assistant_index
from motcua.core.text import vi_sort_key

log = logging.getLogger(__name__)

# The pages people open first: the front page, the catalogue and its search, the e-form.
TEMPLATES = (
    "portal/home.html",
    "portal/catalogue/list.html",
    "portal/catalogue/partials/results.html",
    "portal/catalogue/detail.html",
    "portal/apply/form.html",
    "assistant/chat.html",
)

#: Served in-process, anonymously, before the server listens (issue #14 item 9, decision 0019):
#: what their first request would do once (translations, the ORM's first queries, the lists'
#: sort keys, the included templates) is done. They only read.
PAGES = ("/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh")

_DONE = threading.Event()


def _compile(name: str, seen: set[str]) -> None:
    """Compile ``name`` and, recursively, the templates it extends and includes by a constant
    name: the cached loader compiles those only when a page first renders them."""
    if name in seen:
        return
    seen.add(name)
    try:
        template = get_template(name)  # compiled once, kept by the cached template loader
    except TemplateDoesNotExist:
        log.warning("warm-up: no template %s", name)
        return
    nodes = template.template.nodelist.get_nodes_by_type((ExtendsNode, IncludeNode))  # type: ignore[attr-defined]
    for node in nodes:
        expression = node.parent_name if isinstance(node, ExtendsNode) else node.template
        literal = getattr(expression, "var", None)
        if isinstance(literal, str):  # a literal name, not a variable
            _compile(str(literal), seen)


def _sort_keys() -> None:
    """The Vietnamese sort keys of every unit of the province (memoised by ``vi_sort_key``):
    the e-form sorts its implementing units and service centres on every request."""
    names = Unit.objects.filter(province_id=settings.MOTCUA_PROVINCE_CODE).values_list(
        "name", flat=True
    )
    for name in names.iterator():
        vi_sort_key(name)


def _serve_pages() -> None:
    """Serve :data:`PAGES` through the whole middleware stack, as a browser would (HTTPS, an
    allowed host); a page that fails is logged, never fatal."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    client = Client(HTTP_HOST=hosts[0] if hosts else "localhost", raise_request_exception=False)
    for path in PAGES:
        status = client.get(path, secure=True).status_code
        if status != 200:
            log.warning("warm-up: %s answered %s", path, status)


def warm_up() -> None:
    """Everything a first request would otherwise do itself (see the module docstring)."""
    started = time.perf_counter()
    try:
        get_resolver().url_patterns  # noqa: B018 -- imports the URL configuration and every view
        seen: set[str] = set()
        for name in TEMPLATES:
            _compile(name, seen)
        if getattr(settings, "MOTCUA_ASSISTANT_PRELOAD", True):
            assistant_index.retriever(settings.MOTCUA_PROVINCE_CODE)
        _sort_keys()
        _serve_pages()
    except Exception:  # a warm-up that fails leaves the first request to do it, never fatal
        log.exception("warm-up failed")
    finally:
        connection.close()
    log.info("web process warmed up in %.1f s", time.perf_counter() - started)


def start() -> None:
    """Run :func:`warm_up` once per process (see the module docstring)."""
    if not getattr(settings, "MOTCUA_WARM_UP", False) or _DONE.is_set():
        return
    _DONE.set()
    warm_up()
