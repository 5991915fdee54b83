from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class DeploymentConfig(AppConfig):
    name = "siaga.deployment"
    label = "deployment"
    verbose_name = _("Plotting PAM TPS")

    nav_items = [
        (_("Plotting PAM TPS"), "deployment:index", "view_deployment"),
        (_("TPS saya"), "deployment:my_tps", "deployment_duty"),
    ]
    # On voting day, dispatch never takes a TPS team below its pattern (siaga/incidents/commitments.py).
    incident_commitment_providers = ["siaga.deployment.commitments.TpsTeamProvider"]
    # A PAM TPS officer is taken from the voting day 00:00 to 12:00 the day after (siaga/core/duties.py).
    duty_providers = ["siaga.deployment.commitments.TpsDutyProvider"]
    # Names officers per TPS and reveals categories through team sizes: only deployment staff see it.
    map_layers = [
        MapLayer(
            key="deployment_teams",
            label=_("Tim PAM TPS (warna per tim, merah: tidak tercakup)"),
            url_name="deployment:map_teams",
            capability="view_deployment",
            default_on=False,
            order=30,
        )
    ]

    def ready(self) -> None:
        from siaga.deployment.selectors import guard_duty_officer_ids, register_unavailability_provider

        # Officers on a guard post on voting day are not available for TPS (guard may register its own).
        register_unavailability_provider(guard_duty_officer_ids)
