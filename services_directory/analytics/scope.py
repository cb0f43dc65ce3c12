"""Who sees what: the period, the territory filter, and an account's territories."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from ..appkeys import SETTINGS, STORAGE
from ..backoffice.auth import require_territory
from ..models import User
from .service import Period, tracker_for
from .tracker import TrackerDB


@dataclass(frozen=True)
class Scope:
    """What one request of the analytics pages is about."""

    user: User
    period: Period
    territory: str | None  # the filter chosen, None: every territory the account sees
    names: dict[str, str]  # slug -> name, the territories the account sees

    @property
    def allowed(self) -> set[str] | None:
        """Territories whose conversations count; None: all (a GIP administrator, no filter)."""
        if self.territory:
            return {self.territory}
        return None if self.user.role == "gip" else set(self.user.territories)

    @property
    def compare(self) -> bool:
        """The comparison between territories: GIP administrators, all territories."""
        return self.user.role == "gip" and not self.territory

    def query(self) -> str:
        """The filters as a query string, for links and exports."""
        text = f"du={self.period.start.isoformat()}&au={self.period.end.isoformat()}"
        return text + (f"&territoire={self.territory}" if self.territory else "")


async def scope_of(request: web.Request, user: User) -> Scope:
    """
    The filters asked in the query string (`du`, `au`, `territoire`), checked for the account.

    Raises:
        web.HTTPNotFound: a territory the account may not see.
    """
    period = Period.parse(request.query.get("du"), request.query.get("au"))
    territory = request.query.get("territoire") or None
    if territory:
        await require_territory(request, user, territory)
    territories = await request.app[STORAGE].list_territories()
    names = {t.slug: t.name for t in territories if user.can_see(t.slug)}
    return Scope(user, period, territory, names)


def tracker(request: web.Request) -> TrackerDB:
    """The conversation store; 503 (a French page) when the settings do not locate it."""
    found = tracker_for(request.app[SETTINGS])
    if found is None:
        raise web.HTTPServiceUnavailable(
            reason="Réglez ANALYTICS_TRACKER_URL pour lire les conversations"
        )
    return found
