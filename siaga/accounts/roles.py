"""What each role may do, as data. Tests walk this matrix; views and services ask `can(user, capability)`."""

from __future__ import annotations

from typing import Any

from siaga.accounts.models import Role

# Capabilities are coarse verbs on areas of the app; jurisdiction (which rows) is applied separately.
CAPABILITIES: dict[str, set[str]] = {
    "view_map": {
        Role.ADMIN,
        Role.COMMANDER,
        Role.OPS_STAFF,
        Role.POLSEK_OFFICER,
        Role.FIELD_OFFICER,
        Role.PARTNER_VIEWER,
    },
    "view_registry": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    # Partner viewers (KPU, Bawaslu, TNI) see territory and sites, but not confidential categories.
    "view_sites": {
        Role.ADMIN,
        Role.COMMANDER,
        Role.OPS_STAFF,
        Role.POLSEK_OFFICER,
        Role.FIELD_OFFICER,
        Role.PARTNER_VIEWER,
    },
    "edit_sites": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "edit_territory": {Role.ADMIN, Role.OPS_STAFF},
    "import_data": {Role.ADMIN, Role.OPS_STAFF},
    # Reference lists every Polres keeps for itself (e.g. the kinds of TPS lokasi khusus).
    "manage_reference_data": {Role.ADMIN},
    "export_data": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    # The Kabag Ops answers for the operation's records, so Bag Ops staff read the Polres' audit trail too.
    "view_audit": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    # Accounts of the Polres (issue 13): create, import, deactivate, role and unit; jurisdiction applies.
    "manage_accounts": {Role.ADMIN},
    "manage_operations": {Role.ADMIN, Role.OPS_STAFF},
    "view_operations": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "view_confidential_categories": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "manage_personnel": {Role.ADMIN, Role.OPS_STAFF},
    "take_apel": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.COMMANDER},
    "lock_apel": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    "view_personnel": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    # Guard posts (issue 6): the board and rosters; plan them; take duty at the post; approve shift swaps.
    "view_guard": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "manage_guard": {Role.ADMIN, Role.OPS_STAFF},
    "guard_duty": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "approve_guard_swap": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    # Patrols (issue 7): schedules are sensitive. Polsek and field officers see only their own unit's plans
    # (siaga.patrols.selectors); partner viewers never see them.
    "view_patrol_plans": {
        Role.ADMIN,
        Role.COMMANDER,
        Role.OPS_STAFF,
        Role.POLSEK_OFFICER,
        Role.FIELD_OFFICER,
    },
    "manage_patrols": {Role.ADMIN, Role.OPS_STAFF},
    "patrol_duty": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    # Incidents (issue 8). Partner viewers see incidents with coarsened places, no free text, no identity.
    "view_incidents": {
        Role.ADMIN,
        Role.COMMANDER,
        Role.OPS_STAFF,
        Role.POLSEK_OFFICER,
        Role.FIELD_OFFICER,
        Role.PARTNER_VIEWER,
    },
    "report_incidents": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "triage_incidents": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "dispatch_units": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "update_unit_status": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "view_response_times": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    # One named role reads reporters' identity and contact: the Posko (Bag Ops staff). Every read is audited.
    "view_reporter_identity": {Role.OPS_STAFF},
    # PAM TPS deployment (issue 5): plans name officers and confidential categories; field officers see only
    # their own TPS ("TPS saya"); the Kapolres publishes the Sprin.
    "view_deployment": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "manage_deployment": {Role.ADMIN, Role.OPS_STAFF},
    "publish_deployment": {Role.ADMIN, Role.COMMANDER},
    "deployment_duty": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    # Events and logistics escort (issue 16): plans name officers; Polsek officers enter the events of their
    # kecamatan (STTP); field officers check in and report leg status from the phone.
    "view_events": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "manage_events": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "event_duty": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "view_logistics": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "manage_logistics": {Role.ADMIN, Role.OPS_STAFF},
    "logistics_duty": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    # Neutrality (Propam cases): Propam/Siwas handle them and alone read a complainant's identity (every read
    # audited); commanders see counts and steps; commanders, Bag Ops, Polsek and Bawaslu partners file cases.
    "handle_neutrality": {Role.PROPAM},
    "view_neutrality_summary": {Role.ADMIN, Role.COMMANDER, Role.PROPAM},
    "file_neutrality": {
        Role.COMMANDER,
        Role.OPS_STAFF,
        Role.POLSEK_OFFICER,
        Role.PROPAM,
        Role.PARTNER_VIEWER,
    },
    "manage_neutrality_register": {Role.ADMIN, Role.OPS_STAFF, Role.PROPAM},
    # The daily Lapsit (issue 19): the Polres's own report; the Posko (Bag Ops) makes it on demand.
    "view_lapsit": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    "generate_lapsit": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    # Strength at a glance: a Polsek sees its own row.
    "view_strength": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    # Partner views per partner kind (KPU, Bawaslu, TNI, press), redacted by siaga.lapsit.partners; the Posko
    # previews each kind's view.
    "view_partner_view": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.PARTNER_VIEWER},
    # Referral packets to Bawaslu (Sentra Gakkumdu): Bawaslu partners read theirs; the Posko moves the status.
    "view_referrals": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.PARTNER_VIEWER},
    "manage_referrals": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF},
    # The Posko (issue 19): the board and the alert stream, acknowledging and closing alerts, the journal (buku
    # mutasi), the guard posts' visitor log and the CCTV register. Partners never see the Posko's stream.
    "view_posko": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "handle_alerts": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "write_journal": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "record_visitors": {Role.ADMIN, Role.OPS_STAFF, Role.POLSEK_OFFICER, Role.FIELD_OFFICER},
    "view_cctv": {Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF, Role.POLSEK_OFFICER},
    "manage_cctv": {Role.ADMIN, Role.OPS_STAFF},
}


# Capabilities the superuser does not get for being superuser: reporters' identity is for the named role only
# (need to know, docs/security.md). A technical administrator who must see it is given the role, and is audited.
ROLE_ONLY = {"view_reporter_identity"}


def can(user: Any, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser and capability not in ROLE_ONLY:
        return True
    return user.role in CAPABILITIES.get(capability, set())


# Polda and Mabes staff (issue 20) read what a Polres commander reads, across their jurisdiction (scope_for:
# a Polda its Polres, Mabes everything); they write none of a Polres' records. Kept as one list so a new
# read capability is granted above the Polres by adding its name here.
READ_ABOVE_POLRES = (
    "view_map",
    "view_registry",
    "view_sites",
    "export_data",
    "view_operations",
    "view_confidential_categories",
    "view_personnel",
    "view_guard",
    "view_patrol_plans",
    "view_incidents",
    "view_response_times",
    "view_deployment",
    "view_events",
    "view_logistics",
    "view_lapsit",
)
for _capability in READ_ABOVE_POLRES:
    CAPABILITIES[_capability] |= {Role.POLDA_STAFF, Role.MABES_STAFF}
# The Polda board (strength, coverage, plans, incidents per Polres); an administrator picks the Polda.
CAPABILITIES["view_polda_board"] = {Role.ADMIN, Role.POLDA_STAFF, Role.MABES_STAFF}
# Launching the plotting plans of every Polres of a Polda as one fan-out: the Polda's staff, not Mabes.
CAPABILITIES["run_polda_plans"] = {Role.ADMIN, Role.POLDA_STAFF}
