"""
Changing an existing entry without lost updates (API PATCH and DELETE, back-office actions).

A change is a function of the entry as stored. It is written only if the entry still has the
version it was computed from (`update_service_checked`, the back-office's optimistic lock);
when another write came first, it is computed again on the newer entry, so two simultaneous
changes of different fields both land. A caller that names the version it read (`If-Match`)
is refused instead (412): it decided on what it saw.
"""

from collections.abc import Callable, Collection

from .backoffice.records import EditConflict
from .entries import NewService, Service, entry_version
from .errors import Conflict, NotFound, PreconditionFailed
from .models import User
from .storage import Storage

# A change that lost the race this many times in a row gives up with a 409.
MAX_TRIES = 5


async def change_entry(
    storage: Storage, user: User, found: Service, change: Callable[[Service], NewService],
    accepted: Collection[str] | None = None,
) -> Service:  # fmt: skip
    """
    Write `change(entry)` on the entry as it is at the time of writing.

    Args:
        storage: where the entry lives.
        user: who writes (the change log's "who"; must still see the entry's territory).
        found: the entry as read.
        change: the entry to write, from the entry as stored.
        accepted: the versions the caller accepts (`If-Match`; `*` any), None for any.

    Raises:
        PreconditionFailed: the entry no longer has an accepted version.
        NotFound: the entry moved meanwhile to a territory the user cannot see.
        Conflict: the change lost the race MAX_TRIES times in a row.
    """
    for _ in range(MAX_TRIES):
        version = entry_version(found)
        if accepted is not None and "*" not in accepted and version not in accepted:
            raise PreconditionFailed(
                "La fiche a changé depuis la version lue (If-Match) : relisez-la, puis recommencez."
            )
        try:
            return await storage.update_service_checked(change(found), user.email, version)
        except EditConflict as conflict:
            found = conflict.current
            if not user.can_see(found.territory):
                raise NotFound(f"Fiche inconnue : « {found.id} ».") from None
    raise Conflict("La fiche est modifiée par d'autres en ce moment : réessayez.")
