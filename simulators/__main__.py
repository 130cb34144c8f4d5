"""``python -m simulators run-all`` / ``run NAME [--port N]`` / ``list``."""

from simulators.run import main

raise SystemExit(main())
