"""Set up the demo: real geography, the demo province's units, one user per role.

Idempotent: running it again refreshes the demo without duplicating anything. Refuses to run in
production mode, because it sets known passwords.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts.demo import DEMO_PASSWORD, PERSONAS, ensure_totp_device, seed_personas
from motcua.accounts.models import Role
from motcua.agencies.demo import seed_province_units
from motcua.assistant import index as assistant_index
from motcua.catalog.assignments import assign_defaults
from motcua.catalog.demo import seed_demo_publications
from motcua.catalog.importer import SEED_EFFECTIVE_FROM, import_procedures, read_rows
from motcua.core.errors import ValidationFailed
from motcua.correspondence.demo import seed_demo_documents
from motcua.documents.ca import ensure_root_ca
from motcua.dossiers.demo import seed_demo_dossiers
from motcua.dossiers.results import issue_missing_results
from motcua.geo.boundaries import load_demo_boundaries
from motcua.geo.loader import load_geography
from motcua.geo.models import Province
from motcua.opendata.publish import publish_once_for_demo
from motcua.petitions.demo import seed_demo_petitions
from motcua.petitions.open311.keys import ensure_key_file
from motcua.worktime.calendars import seed_calendar

BUNDLED_CATALOGUE = Path(__file__).resolve().parents[3] / "catalog" / "data" / "procedures.csv"
DEMO_BOUNDARY_FREE_BASIS = (
    "Danh mục TTHC không phụ thuộc địa giới hành chính của tỉnh (bản demo: số quyết định do tỉnh "
    "cập nhật khi triển khai)"
)


class Command(BaseCommand):
    help = "Load real geography and the demo province with one demo user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.MOTCUA_PUBLIC_URL)
        parser.add_argument("--skip-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_setup sets known passwords and never runs in production.")
        if not options["skip_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        counts = load_geography()
        province = Province.objects.get(code=settings.MOTCUA_PROVINCE_CODE)
        units = seed_province_units(province)
        try:  # the operator's commune boundaries, when there are some (docs/decisions/0026)
            boundaries_file, boundaries = load_demo_boundaries(province)
        except (OSError, UnicodeDecodeError, EOFError, ValidationFailed) as exc:
            message = exc.message_vi if isinstance(exc, ValidationFailed) else str(exc)
            raise CommandError(f"MOTCUA_DEMO_BOUNDARIES_FILE: {message}") from None
        users = seed_personas(province)
        seed_calendar(province)
        catalogue = import_procedures(
            read_rows(BUNDLED_CATALOGUE), province=province, effective_from=SEED_EFFECTIVE_FROM
        )
        if not catalogue.ok:
            raise CommandError("; ".join(str(e) for e in catalogue.errors[:5]))
        assign_defaults(province, boundary_free_basis=DEMO_BOUNDARY_FREE_BASIS)
        dossiers = seed_demo_dossiers()
        petitions = seed_demo_petitions()
        documents = seed_demo_documents()  # issue #16: after the dossiers, some are linked
        seed_demo_publications(province)  # after the dossiers: they keep the seeded versions
        for user in users:
            if user.needs_second_factor():
                ensure_totp_device(user)
        url = options["url"].rstrip("/")
        out = self.stdout.write
        out(f"Motcua demo: {url}/")
        out(
            f"  {province.name}: {counts.provinces} provinces and {counts.communes} communes "
            f"loaded; {units} units in the demo province; {catalogue.created} procedures added, "
            f"{catalogue.unchanged} unchanged; {dossiers} demo dossiers; {petitions} demo "
            f"petitions; {documents} demo official documents (clerk of commune A: vanthu.ninhkieu)"
        )
        if boundaries_file is None:
            out(
                "  Commune boundaries: none loaded (coordinates alone route to the provincial "
                "People's Committee; set MOTCUA_DEMO_BOUNDARIES_FILE: docs/open311.md)"
            )
        else:
            out(f"  Commune boundaries: {boundaries} loaded from {boundaries_file}")
        out(f"  Officer desk {url}/desk/ · operations centre {url}/ioc/ · API {url}/api/v1/docs")
        out(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for persona in PERSONAS:
            role = dict(Role.choices).get(persona.role or "", "Công dân")
            out(f"    {persona.username:<22} {role:<28} {persona.story}")
        out(
            "  Leaders and admins need a 6-digit TOTP code after the password: "
            "`.venv/bin/motcua demo_otp USERNAME` prints the current one."
        )
        # Signed results (documents/): the demo CA under MOTCUA_PKI_DIR, created once, and a
        # signed result for every decided demo dossier that has none yet.
        ensure_root_ca()
        signed = issue_missing_results()
        out(f"  Signed results: {signed} issued (demo CA in {settings.MOTCUA_PKI_DIR})")
        # The simulated 1022 hotline files its calls through Open311 with a key of its own
        # (issue #18), issued here and left in its state directory (never in the repository).
        key_file = settings.VAR_DIR / "simulators" / "hotline-open311.key"
        ensure_key_file("Tổng đài 1022 (mô phỏng)", key_file, channel="hotline")
        out(f"  Hotline 1022 simulator: files calls through Open311 with the key in {key_file}")
        # Open data (issue #17): publish the datasets once so /du-lieu-mo/ is not empty.
        run = publish_once_for_demo()
        out(f"  Open data: {run.published} resources published at {url}/du-lieu-mo/")
        # The assistant's retrieval index (issue #15), built and saved now so that the web
        # processes load it at start instead of building it on the first search (issue #14/9).
        retriever = assistant_index.warm(province)
        out(f"  Assistant: retrieval index of {len(retriever)} procedures saved")
