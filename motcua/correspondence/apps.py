from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "motcua.correspondence"
    label = "correspondence"
    verbose_name = _("Văn bản đi, đến")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from motcua.correspondence import petition_letters
        from motcua.correspondence.dossier_link import register
        from motcua.correspondence.exchange import (
            STATUS_TOPIC,
            SYSTEM,
            TOPIC,
            send_package,
            send_status,
        )
        from motcua.exchange.routing import register_handler

        register_handler(TOPIC, send_package, system=SYSTEM)
        register_handler(STATUS_TOPIC, send_status, system=SYSTEM)
        # R-DOC-17: linked dossiers' trails show their documents sent and arrived.
        register()
        # Issue #18 item 4: a petition forwarded to an outside body gets its draft letter.
        petition_letters.register()
