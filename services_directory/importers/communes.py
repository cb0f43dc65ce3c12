"""
The official commune file (columns of communes_france.csv).

Columns read: insee_com, insee_dep, commune, commune_article, code_postal, commune_type, lat, lng.

Every current commune (`commune_type` COM) is added or updated; former merged communes and
municipal arrondissements are skipped. With a territory, the communes of the given
départements (or all the file's, without départements) are attached to it.
"""

from collections.abc import Awaitable, Callable, Iterable

from .. import validation as v
from ..errors import InvalidEntry
from ..models import Commune
from ..storage import Storage
from .report import Problem, Report, Row, read_csv

REQUIRED = ("insee_com", "insee_dep", "commune", "code_postal", "lat", "lng")
_BATCH = 2000


def read_communes(data: bytes) -> list[tuple[Row, Commune | None, str]]:
    """Each row with its commune (None when rejected or skipped) and its département."""
    found = []
    for line, row in read_csv(data, REQUIRED):
        if row.get("commune_type", "COM") not in ("", "COM"):
            found.append((Row(line, skipped="ancienne commune ou arrondissement"), None, ""))
            continue
        try:
            postcode = v.matching("code_postal", row["code_postal"], v.POSTCODE, "5 chiffres")
            commune = Commune(
                insee=v.insee("insee_com", row["insee_com"]),
                name=v.required("commune", row.get("commune_article") or row["commune"], 200),
                postcode=postcode or "",
                lat=v.latitude("lat", row["lat"]),
                lon=v.longitude("lng", row["lng"]),
            )
        except InvalidEntry as error:
            found.append((Row(line, rejected=Problem(line, error.name, error.message)), None, ""))
            continue
        found.append((Row(line), commune, row["insee_dep"]))
    return found


def plan(
    data: bytes, territory: str | None = None, departments: Iterable[str] = ()
) -> tuple[list[Row], dict[str | None, list[Commune]]]:
    """The rows to report, and the communes to write grouped by the territory to attach to."""
    departments = set(departments)
    rows, groups = [], {}  # type: ignore[var-annotated]
    for row, commune, department in read_communes(data):
        rows.append(row)
        if commune is not None:
            attach = (
                territory if territory and (not departments or department in departments) else None
            )
            groups.setdefault(attach, []).append(commune)
    return rows, groups


def writer(
    groups: dict[str | None, list[Commune]],
) -> Callable[[Storage, Report], Awaitable[None]]:
    """The bulk write of the communes (inside the import's transaction)."""

    async def write(storage: Storage, report: Report) -> None:
        for attach, communes in groups.items():
            for start in range(0, len(communes), _BATCH):
                await storage.put_communes(attach, communes[start : start + _BATCH])
            report.communes += len(communes)

    return write
