"""gunicorn settings of the web process: one file for the Procfile, `make demo` and the benches.

`gunicorn -c config/gunicorn_conf.py config.wsgi` (the Procfile). Command-line options given
after it override these (the benches' `--workers`/`--threads` comparisons do).

Processes and threads (issue #12 item 9; bench/README.md "gunicorn"): a gthread worker keeps a
client's keep-alive connection, so each connection stays with the process that accepted it.
With two processes a burst of connections accepted by one of them queues behind that
process's GIL while the other idles (measured under the Monday mix: one process at ~90 % of a
core, the other at ~10 %; read p95 over 1 s). With 4 processes × 2 threads one process still
takes most connections, but with two threads instead of four it spends ~20 % less CPU on them
and stays below saturation (read p95 ~250 ms instead of ~1.1 s, decision 0034).
`MOTCUA_WEB_WORKERS` and `MOTCUA_WEB_THREADS` size it for a bigger machine.
"""

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
