from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class GuardConfig(AppConfig):
    name = "siaga.guard"
    label = "guard"
    verbose_name = _("Pos jaga")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.guard.alert_source.GuardAlertSource"]
    # Keep guard's own alert table (its alerts page) current without cron (siaga.posko.scheduler).
    periodic_tasks = ["siaga.guard.alert_source.REFRESH_GUARD_ALERTS"]

    nav_items = [
        (_("Pos jaga"), "guard:board", "view_guard"),
        (_("Roster jaga"), "guard:roster_list", "view_guard"),
    ]
    # Dispatch never takes an officer off a post below its rostered strength (siaga/incidents/commitments.py).
    incident_commitment_providers = ["siaga.guard.commitments.GuardPostProvider"]
    # No officer on a guard shift is put on an event or an escort at the same time (siaga/core/duties.py).
    duty_providers = ["siaga.guard.commitments.GuardDutyProvider"]
    map_layers = [
        # Live: colour by who is checked in now and the open alerts (green staffed, orange short, red alert).
        MapLayer(
            key="guard_posts",
            label=_("Pos jaga (langsung)"),  # type: ignore[arg-type]
            url_name="guard:map_posts",
            capability="view_guard",
            order=35,
            refresh_s=5,
        ),
    ]
