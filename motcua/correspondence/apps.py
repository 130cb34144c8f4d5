from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "motcua.correspondence"
    label = "correspondence"
    verbose_name = _("Văn bản đi, đến")
    default_auto_field = "django.db.models.BigAutoField"
