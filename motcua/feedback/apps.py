from __future__ import annotations

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"

    def ready(self) -> None:
        from motcua.feedback.tokens import sms_rating_link
        from motcua.notify.service import LINKS

        LINKS["returned"] = sms_rating_link  # the SMS after return carries the rating link
