from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "siaga.accounts"
    label = "accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from siaga.accounts import signals  # noqa: F401  (login audit receivers)
