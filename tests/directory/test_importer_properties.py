"""
Properties of the importers (services_directory/importers/), checked on generated files:

- any bytes, and any CSV-looking text, give a report or `InvalidEntry` (the one error the
  importers document), never another exception, for every kind;
- a valid generated template sheet imports exactly its rows, with their text unchanged;
- the CSV export imports back unchanged (nothing created, nothing updated, same entries);
- a dry run changes nothing, whatever the file.

Checked to fail without their protection: `read_csv` without its `csv.Error` catch fails the
first property (a cell over 131,072 characters), `read_text` without its NUL check too (the
csv module refuses NUL); `apply` keeping the transaction on a dry run fails the last one.
"""

import asyncio
import csv
import io
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services_directory.errors import InvalidEntry
from services_directory.exports import to_csv
from services_directory.importers import KINDS, run_import
from services_directory.importers.template import TEMPLATE_COLUMNS
from services_directory.seed import load_seed
from services_directory.sqlite import SQLiteStorage

SETTINGS = settings(
    max_examples=40, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


class Directory:
    """A seeded SQLite directory driven from sync hypothesis tests through one event loop."""

    def __init__(self, path: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.storage = SQLiteStorage(path)
        self.run(self.storage.open())
        self.run(load_seed(self.storage))

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def entries(self) -> list[dict[str, Any]]:
        return [s.to_dict() for s in self.run(self.storage.list_services())]

    def close(self) -> None:
        self.run(self.storage.close())
        self.loop.close()


@pytest.fixture
def directory(tmp_path: Path):
    opened = Directory(tmp_path / "directory.sqlite3")
    yield opened
    opened.close()


def _import(directory: Directory, kind: str, data: bytes, dry_run: bool = True, **options):
    return directory.run(
        run_import(directory.storage, kind, data, dry_run=dry_run, by="test", **options)
    )


# Text a spreadsheet could hold: accents, separators, quotes, line breaks, tabs, but no
# control characters (validation refuses them, which another test covers).
CELL = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf")) | st.sampled_from(
        ",;\"'\n\t éèàçœ«»—"
    ),
    max_size=40,
)
CSVISH = st.lists(
    st.lists(CELL | st.sampled_from(TEMPLATE_COLUMNS + ("ID", "NOM_TL", "insee_com")),
             max_size=8),
    max_size=6,
).map(lambda rows: "\n".join(",".join(row) for row in rows))


@SETTINGS
@given(data=st.binary(max_size=2000) | CSVISH.map(str.encode) | st.sampled_from(
    [b"\x00" * 10, b"\xff\xfe\x00", b"a" * 200_000, b'a,"' + b"b" * 200_000, b"[{}]", b"{"]
), kind=st.sampled_from(KINDS))  # fmt: skip
def test_any_file_gives_a_report_or_invalid_entry(directory: Directory, data: bytes, kind: str):
    try:
        report = _import(directory, kind, data)
    except InvalidEntry as error:
        assert error.message and error.name
    else:
        assert report.read >= 0 and not report.written


NAME = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")),
    min_size=1, max_size=60,
).map(str.strip).filter(bool)  # fmt: skip
_serial = count()


@SETTINGS
@given(names=st.lists(NAME, min_size=1, max_size=8), descriptions=st.lists(CELL, max_size=8),
       delimiter=st.sampled_from([",", ";"]))  # fmt: skip
def test_a_valid_sheet_imports_exactly_its_rows(
    directory: Directory, names: list[str], descriptions: list[str], delimiter: str
) -> None:
    batch = next(_serial)  # names unique across examples: each row is a new entry
    rows = [{"territory": "hautes-terres", "topic": "transport", "kind": "covoiturage",
             "name": f"{name} {batch}-{n}", "commune": "15138",
             "description": (descriptions[n] if n < len(descriptions) else "").strip()}
            for n, name in enumerate(names)]  # fmt: skip
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    report = _import(directory, "services", out.getvalue().encode(), dry_run=False)
    assert (report.created, report.rejected, report.written) == (len(rows), [], True)
    stored = {e["name"]: e for e in directory.entries()}
    for row in rows:
        assert stored[row["name"]]["description"] == row["description"]
        assert stored[row["name"]]["commune"] == "15138"


@SETTINGS
@given(territory=st.sampled_from(["hautes-terres", "creuse-grand-sud", "coeur-de-lozere"]))
def test_the_csv_export_imports_back_unchanged(directory: Directory, territory: str) -> None:
    before = directory.entries()
    exported = to_csv(directory.run(directory.storage.list_services(territory)))
    report = _import(directory, "services", exported.encode(), dry_run=False)
    assert report.rejected == [] and (report.created, report.updated) == (0, 0)
    assert report.unchanged == len(exported.splitlines()) - 1 > 0
    assert directory.entries() == before



@SETTINGS
@given(data=CSVISH.map(str.encode), names=st.lists(NAME, min_size=1, max_size=5),
       kind=st.sampled_from(KINDS))  # fmt: skip
def test_a_dry_run_changes_nothing(
    directory: Directory, data: bytes, names: list[str], kind: str
) -> None:
    before = directory.entries()
    valid = "territory,topic,kind,name,commune\n" + "".join(
        f'hautes-terres,jobs,employment_support,"{name.replace(chr(34), "")} dry",15138\n'
        for name in names
    )
    for file in (data, valid.encode()):
        try:
            _import(directory, kind, file, dry_run=True)
        except InvalidEntry:
            pass
    assert directory.entries() == before
