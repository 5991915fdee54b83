"""Guard posts in the Posko alert stream (siaga.core.alerts): unstaffed post, empty CCTV seat, missed handover.

The facts are those of `siaga.guard.alerts.compute_alerts`, the same rules the guard board shows live.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import HIGH, LOW, MEDIUM, AlertFact, AlertKind
from siaga.core.maplayers import detail_url
from siaga.core.schedule import Periodic


class GuardAlertSource:
    name = "guard"
    kinds = [
        AlertKind("guard.unstaffed", _("Pos jaga tidak terisi"), HIGH, "view_guard"),
        AlertKind("guard.cctv_empty", _("Kursi CCTV kosong"), MEDIUM, "view_guard"),
        AlertKind("guard.handover_missed", _("Serah terima jaga terlewat"), LOW, "view_guard"),
    ]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.guard.alerts import posts_now
        from siaga.guard.models import Post

        posts = list(Post.objects.filter(is_active=True).select_related("vital_object"))
        url = detail_url("guard:post_detail")
        facts = []
        for row in posts_now(posts, now=now):
            post = row.post
            lat, lng = post.position
            for alert in row.alerts:
                title = post.name
                if alert.kind == "unstaffed":
                    title = f"{post.name} ({len(row.present)}/{row.required})"
                facts.append(
                    AlertFact(
                        key=f"guard.{alert.kind}:{post.pk}:{alert.since.isoformat()}",
                        kind=f"guard.{alert.kind}",
                        title=title,
                        since=alert.since,
                        kecamatan_id=post.vital_object.kecamatan_id,
                        lat=lat,
                        lng=lng,
                        url=url(post.pk),
                    )
                )
        return facts


def refresh_guard_alerts(*, now: dt.datetime) -> dict[str, int]:
    from siaga.guard.services import refresh_alerts

    return refresh_alerts(now=now)


REFRESH_GUARD_ALERTS = Periodic("guard.refresh_alerts", "siaga.guard.alert_source.refresh_guard_alerts", 60)
