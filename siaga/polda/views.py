"""The Polda board (issue 20): every Polres of a Polda side by side, for the Polda's Ro Ops and for Mabes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from siaga.core import pages
from siaga.polda import selectors
from siaga.sites import selectors as site_selectors


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The user's own Polda board; Mabes and an administrator choose among every Polda."""
    pages.require(request, "view_polda_board")
    poldas = list(selectors.poldas_for(request.user))
    if len(poldas) == 1:
        return redirect("polda:board_of", pk=poldas[0].pk)
    return render(request, "polda/choose.html", {"poldas": poldas})


@require_GET
def board_of(request: HttpRequest, pk: int) -> HttpResponse:
    pages.require(request, "view_polda_board")
    polda = pages.access_or_404(selectors.access_polda, request, pk)
    election = site_selectors.election_or_default(pages.remembered(request, "election"))
    data = selectors.polda_board(request.user, polda, election=election)
    if fmt := pages.export_format(request):
        return pages.export_list(
            request,
            fmt=fmt,
            filename=f"papan-{polda.code}",
            object_type="polda.board",
            headers=[
                _("Polres"),
                _("Personel"),
                _("TPS"),
                _("TPS tercakup"),
                _("Rencana"),
                _("Status rencana"),
                _("Kejadian terbuka"),
                _("Kejadian P1"),
                _("Kejadian 24 jam"),
                _("Peringatan terbuka"),
            ],
            rows=(
                [
                    r.polres.name,
                    r.personnel,
                    r.tps,
                    r.tps_covered,
                    f"v{r.plan.version}" if r.plan else "",
                    r.plan.get_status_display() if r.plan else "",
                    r.incidents_open,
                    r.incidents_p1,
                    r.incidents_24h,
                    r.alerts_open,
                ]
                for r in data.rows
            ),
        )
    return pages.render_page(
        request,
        "polda/board.html",
        {
            "board": data,
            "totals": data.totals,
            "election": election,
            "elections": list(site_selectors.elections()),
            "poldas": list(selectors.poldas_for(request.user)),
        },
        capabilities=("export_data", "view_deployment", "view_incidents", "view_guard", "run_polda_plans"),
    )
