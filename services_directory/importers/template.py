"""
The agents' CSV template (docs/import-template.md): one entry per line, our own field names.

Empty cells are absent values. An entry is matched on re-import by `id` when given, else by
`source_id`, else by territory + name + commune: importing the same sheet twice changes
nothing. Rows of territories the importer may not write to are rejected as unknown.
"""

from .. import payloads
from .. import validation as v
from ..entries import NewService
from ..errors import InvalidEntry
from ..safe_csv import restore
from ..storage import Storage
from ..text import fold
from .entries import save_entry
from .report import Problem, Row, read_csv

TEMPLATE_COLUMNS = (
    "id", "territory", "topic", "kind", "name", "description", "commune", "address", "lat",
    "lon", "phone", "email", "website", "opening_hours", "fees", "fees_details", "audience",
    "eligibility_zone", "contract_type", "sector", "expires_on", "verified_on", "status",
    "source_id",
)  # fmt: skip
REQUIRED = ("territory", "topic", "kind", "name", "commune")


def plan(data: bytes, by: str, allowed: set[str] | None = None) -> list[Row]:
    """The rows of a template file, each ready to write or explained."""
    rows = []
    for line, cells in read_csv(data, REQUIRED):
        # Our exports quote formula-like cells (safe_csv): take exactly that quote off.
        raw = {name: restore(value) for name, value in cells.items()}
        unknown = [name for name in raw if name not in TEMPLATE_COLUMNS]
        if unknown:
            problem = Problem(line, unknown[0], f"Colonne inconnue : « {unknown[0][:60]} ».")
            rows.append(Row(line, rejected=problem))
            continue
        try:
            new = entry_from_row(raw, allowed)
        except InvalidEntry as error:
            rows.append(Row(line, rejected=Problem(line, error.name, error.message)))
            continue
        rows.append(Row(line, write=_writer(new, by)))
    return rows


def entry_from_row(raw: dict[str, str], allowed: set[str] | None) -> NewService:
    """An entry from a template row. Raises `InvalidEntry` naming the column."""
    cells = {k: value for k, value in raw.items() if value != "" and k != "id"}
    cells.setdefault("status", "published")
    for name in REQUIRED:
        cells.setdefault(name, "")
    fields = payloads.entry_fields(cells)
    if allowed is not None and fields["territory"] not in allowed:
        raise InvalidEntry("territory", f"Territoire inconnu : « {fields['territory']} ».")
    entry_id = v.matching("id", raw.get("id"), v.UUID, "un identifiant (UUID) ou rien")
    if not fields.get("source_id") and entry_id is None:
        key = "-".join(fold(fields["name"]).split())
        fields["source_id"] = f"csv:{fields['territory']}:{fields['commune']}:{key}"
    return NewService(id=entry_id, **fields)


def _writer(new: NewService, by: str):  # type: ignore[no-untyped-def]
    async def write(storage: Storage) -> str:
        return await save_entry(storage, new, by, keep_checked=False)

    return write
