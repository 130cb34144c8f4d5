from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Only web servers import this module: warm the process up in the background (issue #14 item 9).
from motcua.web.warmup import start  # noqa: E402 -- after Django is set up

start()
