"""Writing one imported entry: created, or updated in place when its source id is known."""

from dataclasses import replace

from ..entries import NewService
from ..errors import NotFound
from ..storage import Storage


async def save_entry(storage: Storage, new: NewService, by: str, keep_checked: bool) -> str:
    """
    Add the entry, or update the one with the same source id (or id): no duplicates.

    Args:
        storage: where to write (inside the import's transaction).
        new: the entry as the file gives it.
        by: who imports, for the change log.
        keep_checked: leave alone an existing entry a person has verified since (to_verify
            false): a census re-import must not undo an agent's corrections.

    Returns:
        "created", "updated" or "unchanged".
    """
    existing = await storage.find_by_source_id(new.source_id) if new.source_id else None
    if existing is None and new.id:
        try:
            existing = await storage.get_service(new.id, published_only=False)
        except NotFound:
            existing = None
    if existing is None:
        await storage.add_service(new, by=by)
        return "created"
    if keep_checked and not existing.to_verify:
        return "unchanged"
    updated = await storage.update_service(replace(new, id=existing.id), by=by)
    return "unchanged" if updated == existing else "updated"


def territory_of(insee: str, owners: dict[str, list[str]], allowed: set[str] | None) -> str | None:
    """The territory an imported entry goes to: the first (by slug) holding its commune."""
    for slug in owners.get(insee, []):
        if allowed is None or slug in allowed:
            return slug
    return None
