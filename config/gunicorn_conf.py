"""gunicorn settings of the web process: one file for the Procfile, `make demo` and the benches.

`gunicorn -c config/gunicorn_conf.py config.wsgi` (the Procfile). Command-line options given
after it override these (the benches' `--workers`/`--threads` comparisons do).

Processes and threads (issue #12 item 9; bench/README.md "gunicorn"; decision 0034): a gthread
worker keeps a client's keep-alive connection, so each connection stays with the process that
accepted it, and under the Monday mix one process did ~90 % of the work while the others idled.
Two threads per process cost ~20 % less CPU than four (GIL contention); connections closed after
each answer (`keepalive = 0`) spread the requests over the four processes; the preloaded objects
are frozen before each fork so a child's full garbage collection does not stall its requests.
`MOTCUA_WEB_WORKERS` and `MOTCUA_WEB_THREADS` size it for a bigger machine.
"""

import gc
import os

bind = f"127.0.0.1:{os.environ.get('MOTCUA_PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", "4"))
threads = int(os.environ.get("MOTCUA_WEB_THREADS", "2"))
# The master loads and warms the application before it forks (motcua/web/warmup.py, decision
# 0013): the workers share it and the first request after a restart is as fast as the next.
preload_app = True
backlog = 2048
loglevel = "warning"
# On SIGTERM a worker finishes the requests it is serving and exits; after this many seconds the
# master kills what is left. Pages answer in well under a second and every write is one
# transaction (an interrupted one leaves nothing), so a short window is safe; it keeps the web
# process inside honcho's 5 s between SIGTERM and SIGKILL when `make demo` is stopped (issue #12
# item 1: every process stops within seconds).
graceful_timeout = 4
# A new connection for every request (decision 0034, session 11). A gthread process serves every
# request of a keep-alive connection it accepted, so a client keeping its connection stays with
# one process for good; under the Monday mix one process then did ~90 % of the work and read p95
# was 425 ms. Closed after each answer, every request is a new accept and the idle processes take
# their share (19-32 % each of four): read p95 72-99 ms on the same quiet machine. A reverse proxy
# in front keeps the clients' connections (and TLS); on the loopback a connect costs ~0.1 ms.
keepalive = 0


def pre_fork(server: object, worker: object) -> None:
    """Freeze the preloaded application before each child is forked (decision 0034, session 11).

    The master has loaded and warmed the application (preload_app): a few hundred thousand objects
    that live as long as the process. Each child's full garbage collection walked all of them,
    holding the GIL for 0.1 s or more and stalling both threads' requests: read p99 0.6-3.3 s
    on a quiet machine. Frozen, a full collection skips them (and leaves their pages shared with
    the master, untouched by the collector's reference counts): p99 84-136 ms for every page but
    the board. The collect first drops the warm-up's garbage so it is not frozen.
    """
    del server, worker
    gc.collect()
    gc.freeze()
