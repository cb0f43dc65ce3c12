"""
The national census of tiers-lieux (CGET — Mission Coworking, 2019): telework entries.

Entries go to the territory holding their commune (rows elsewhere are skipped), published but
flagged "to verify" (2019 data), with the census's attribution and a stable source id, so a
re-import updates instead of duplicating, and leaves alone entries an agent has verified since.
Rows without an INSEE code are placed by postcode and commune name.
"""

from .. import validation as v
from ..entries import NewService
from ..errors import InvalidEntry
from ..storage import Storage
from ..text import fold
from .entries import save_entry, territory_of
from .report import Problem, Row, read_csv

ATTRIBUTION = "CGET — Mission Coworking, base des tiers-lieux 2019"
REQUIRED = ("ID", "NOM_TL", "ADRESSE", "CP", "INSEECOM", "NOMCOM", "WEB", "TYPO", "LAT", "LONG")
_KINDS = {"coworking": "coworking", "fablab": "fablab"}
DESCRIPTION = (
    "Tiers-lieu recensé en 2019 par la Mission Coworking (CGET) : informations à vérifier"
    " auprès du lieu."
)


async def plan(
    storage: Storage, data: bytes, by: str, allowed: set[str] | None = None
) -> list[Row]:
    """
    The rows of a census file, each ready to write or explained.

    Args:
        storage: to find the territories holding each commune.
        data: the CSV file.
        by: who imports (change log).
        allowed: territories the importer may write to (None: all).
    """
    owners = await storage.commune_territories()
    by_name = await storage.communes_by_postcode()
    rows = []
    for line, raw in read_csv(data, REQUIRED):
        insee = raw["INSEECOM"]
        if not v.INSEE.match(insee):
            insee = by_name.get((raw["CP"], fold(raw["NOMCOM"])), "")
        territory = territory_of(insee, owners, allowed) if insee else None
        if territory is None:
            rows.append(Row(line, skipped="commune hors des territoires"))
            continue
        row = Row(line)
        try:
            new = NewService(
                territory=territory,
                topic="telework",
                kind=next(
                    (k for word, k in _KINDS.items() if word in fold(raw["TYPO"])), "tiers_lieu"
                ),
                name=v.required("NOM_TL", raw["NOM_TL"], 200),
                commune=insee,
                description=DESCRIPTION,
                address=v.text("ADRESSE", raw["ADRESSE"]),
                lat=v.latitude("LAT", raw["LAT"]),
                lon=v.longitude("LONG", raw["LONG"]),
                website=_optional(row, "WEB", _website(raw["WEB"]), v.website),
                email=_optional(row, "MAIL", raw.get("MAIL"), v.email),
                status="published",
                source=ATTRIBUTION,
                source_id=f"tiers-lieux-2019:{v.required('ID', raw['ID'], 20)}",
                to_verify=True,
            )
        except InvalidEntry as error:
            rows.append(Row(line, rejected=Problem(line, error.name, error.message)))
            continue
        row.write = _writer(new, by)
        rows.append(row)
    return rows


def _website(value: str) -> str:
    value = value.strip()
    return f"http://{value}" if value and "://" not in value else value


def _optional(row: Row, name: str, value: str | None, check: object) -> str | None:
    """A contact field: dropped with a warning when invalid (the place stays useful)."""
    try:
        return check(name, value)  # type: ignore[operator, no-any-return]
    except InvalidEntry as error:
        row.warnings.append(Problem(row.line, name, error.message + " (champ ignoré)"))
        return None


def _writer(new: NewService, by: str):  # type: ignore[no-untyped-def]
    async def write(storage: Storage) -> str:
        return await save_entry(storage, new, by, keep_checked=True)

    return write
