"""
Writing one imported entry: created, or updated in place when its source id (or id) is known.

Rows are matched only among the entries of the row's territory, which the importer has already
checked the caller may write to: another territory's entry is never found, so an import
neither changes nor moves it, and its id or source id is unknown exactly as one that exists
nowhere (the report tells nothing about other territories).
"""

from dataclasses import replace

from ..entries import NewService, Service
from ..errors import InvalidEntry, NotFound
from ..storage import Storage

UNKNOWN_ID = (
    "Fiche inconnue dans ce territoire : gardez l'identifiant d'une fiche exportée de ce"
    " territoire, ou videz la colonne id pour créer une fiche."
)


async def save_entry(storage: Storage, new: NewService, by: str, keep_checked: bool) -> str:
    """
    Add the entry, or update the one with the same source id (or id): no duplicates.

    Args:
        storage: where to write (inside the import's transaction).
        new: the entry as the file gives it, in a territory the importer may write to.
        by: who imports, for the change log.
        keep_checked: leave alone an existing entry a person has verified since (to_verify
            false): a census re-import must not undo an agent's corrections.

    Returns:
        "created", "updated" or "unchanged".

    Raises:
        InvalidEntry: the row's id is not an entry of its territory.
    """
    existing = await _existing(storage, new)
    if existing is None:
        await storage.add_service(new, by=by)
        return "created"
    if keep_checked and not existing.to_verify:
        return "unchanged"
    updated = await storage.update_service(replace(new, id=existing.id), by=by)
    return "unchanged" if updated == existing else "updated"


async def _existing(storage: Storage, new: NewService) -> Service | None:
    """The entry of the row's territory that the row updates, if any."""
    if new.source_id:
        found = await storage.find_by_source_id(new.source_id, new.territory)
        if found is not None:
            return found
    if new.id is None:
        return None
    try:
        found = await storage.get_service(new.id, published_only=False)
    except NotFound:
        found = None
    if found is None or found.territory != new.territory:
        raise InvalidEntry("id", UNKNOWN_ID)  # the same words for another territory's entry
    return found


def territory_of(insee: str, owners: dict[str, list[str]], allowed: set[str] | None) -> str | None:
    """The territory an imported entry goes to: the first (by slug) holding its commune."""
    for slug in owners.get(insee, []):
        if allowed is None or slug in allowed:
            return slug
    return None
