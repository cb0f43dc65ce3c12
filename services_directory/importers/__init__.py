"""
Importers, shared by the command line and the API.

Each reads a file into rows, then `report.apply` writes them all in one transaction, or
nothing (dry run, or any rejected row).

| kind | file | who (API) |
| --- | --- | --- |
| `communes` | the official commune file (CSV) | GIP |
| `tiers-lieux` | the 2019 census of tiers-lieux (CSV) | GIP |
| `data-inclusion` | data·inclusion v1 services (JSON or CSV) | GIP, agents (their territories) |
| `services` | the agents' CSV template | GIP, agents (their territories) |
"""

from collections.abc import Iterable

from ..errors import InvalidEntry
from ..storage import Storage
from . import communes, data_inclusion, template, tiers_lieux
from .report import Report, apply

KINDS = ("communes", "tiers-lieux", "data-inclusion", "services")
GIP_ONLY = ("communes", "tiers-lieux")


async def run_import(
    storage: Storage,
    kind: str,
    data: bytes,
    *,
    dry_run: bool,
    by: str,
    allowed: set[str] | None = None,
    territory: str | None = None,
    departments: Iterable[str] = (),
) -> Report:
    """
    Import a file.

    Args:
        storage: an open storage.
        kind: one of KINDS.
        data: the file's bytes.
        dry_run: report only; nothing is written.
        by: who imports (the change log's "who", e.g. an e-mail or "import:cli").
        allowed: territories the importer may write to (None: every one).
        territory: (communes) attach the communes to this territory...
        departments: ...only those of these départements (all the file's when empty).

    Raises:
        InvalidEntry: the file as a whole is unreadable (encoding, missing columns).
    """
    if kind == "communes":
        if territory is not None:
            await storage.get_territory(territory)
        rows, groups = communes.plan(data, territory, departments)
        return await apply(storage, kind, rows, dry_run, bulk=communes.writer(groups))
    if kind == "tiers-lieux":
        rows = await tiers_lieux.plan(storage, data, by, allowed)
    elif kind == "data-inclusion":
        rows = await data_inclusion.plan(storage, data, by, allowed)
    elif kind == "services":
        rows = template.plan(data, by, allowed)
    else:
        raise InvalidEntry("kind", f"Import inconnu : « {kind} » (attendu : {', '.join(KINDS)}).")
    return await apply(storage, kind, rows, dry_run)
