"""
What an import did or would do, and the one path every importer writes through.

An importer turns a file into `Row`s: each either carries an entry (or communes) to write, or
the reason it is rejected, or the reason it is skipped (outside every territory, not one of
our topics). `apply` then writes them in one transaction, which it rolls back on a dry run or
when any row is rejected: a bad file changes nothing, and the report names every bad line.
"""

import csv
import io
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import InvalidEntry
from ..storage import Storage

MAX_REPORTED = 1000


@dataclass(frozen=True)
class Problem:
    """A rejected row, or a warning about a row (a field dropped), by line number."""

    line: int
    field: str
    reason: str


@dataclass
class Row:
    """One line of the file, once read: what to write, or why not."""

    line: int
    write: Callable[[Storage], Awaitable[str]] | None = None  # returns created/updated/unchanged
    rejected: Problem | None = None
    skipped: str | None = None
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Report:
    """Counts and problems of one import."""

    kind: str
    dry_run: bool
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    communes: int = 0  # communes added or updated (commune file)
    written: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form (problems capped at MAX_REPORTED each, with their totals)."""
        data = asdict(self)
        data["rejected"] = data["rejected"][:MAX_REPORTED]
        data["warnings"] = data["warnings"][:MAX_REPORTED]
        data["rejected_total"] = len(self.rejected)
        data["warnings_total"] = len(self.warnings)
        return data

    def summary(self) -> str:
        """One French paragraph for people, then one line per rejected row."""
        mode = "Import effectué" if self.written else "Import refusé, rien n'a été écrit"
        if self.dry_run:
            mode = "Essai à blanc, rien n'a été écrit"
        skipped = sum(self.skipped.values())
        lines = [
            f"{mode} ({self.kind}) : {self.read} lignes lues, {self.communes} communes,"
            f" {self.created} fiches créées,"
            f" {self.updated} mises à jour, {self.unchanged} inchangées, {skipped} ignorées,"
            f" {len(self.rejected)} rejetées, {len(self.warnings)} avertissements."
        ]
        lines += [f"  ignorées ({reason}) : {count}" for reason, count in self.skipped.items()]
        lines += [f"  ligne {p.line} [{p.field}] : {p.reason}" for p in self.rejected]
        lines += [f"  avertissement ligne {p.line} [{p.field}] : {p.reason}"
                  for p in self.warnings]  # fmt: skip
        return "\n".join(lines)


class _Rollback(Exception):
    """Leaves the import's transaction without keeping anything."""


async def apply(
    storage: Storage,
    kind: str,
    rows: list[Row],
    dry_run: bool,
    bulk: Callable[[Storage, Report], Awaitable[None]] | None = None,
) -> Report:
    """
    Write the rows in one transaction; keep it only for a real run without rejected rows.

    Args:
        storage: where to write.
        kind: the importer's name, for the report.
        rows: what the file holds, line by line.
        dry_run: write nothing, whatever happens.
        bulk: writes done once after the rows (communes come in batches, not one by one).
    """
    report = Report(kind=kind, dry_run=dry_run, read=len(rows))
    try:
        async with storage.batch():
            for row in rows:
                report.warnings += row.warnings
                if row.skipped:
                    report.skipped[row.skipped] = report.skipped.get(row.skipped, 0) + 1
                elif row.rejected:
                    report.rejected.append(row.rejected)
                elif row.write is not None:
                    try:
                        outcome = await row.write(storage)
                    except InvalidEntry as error:
                        report.rejected.append(Problem(row.line, error.name, error.message))
                        continue
                    setattr(report, outcome, getattr(report, outcome) + 1)
            if bulk is not None and not report.rejected:
                await bulk(storage, report)
            if dry_run or report.rejected:
                raise _Rollback
    except _Rollback:
        pass
    else:
        report.written = True
    return report


# What to tell people whose file is not text we can read.
_RAGGED = (
    "Ligne {line} : plus de cellules que de colonnes (un texte contenant le séparateur doit"
    " être entre guillemets) ; rien n'a été importé."
)
_SAVE_AS = "enregistrez-le depuis le tableur en « CSV UTF-8 (délimité par des virgules) »"


def read_text(data: bytes) -> str:
    """
    The file as text, in the encodings spreadsheets write.

    UTF-8 (with or without a byte-order mark); UTF-16 with its byte-order mark (Excel's
    "Unicode text"); else Windows-1252, what Excel writes for "CSV" on a French Windows
    (Latin-1 files read the same, accents included).

    Raises:
        InvalidEntry: the file is none of these, or holds NUL characters (a binary file, or
            UTF-16 without its mark), or holds nothing.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidEntry("file", f"Fichier illisible : {_SAVE_AS}.")
    if "\x00" in text:
        raise InvalidEntry(
            "file", f"Fichier illisible (caractères nuls : fichier binaire ?) : {_SAVE_AS}."
        )
    if not text.strip():
        raise InvalidEntry("file", f"Le fichier est vide : {_SAVE_AS}, avec sa ligne d'en-tête.")
    return text


def read_csv(data: bytes, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """
    The rows of a CSV file (comma, semicolon or tab), with their line numbers (header = 1).

    Raises:
        InvalidEntry: the file is unreadable (see `read_text`, or broken CSV), or a required
            column is missing.
    """
    text = read_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # the first of the most frequent, on a tie
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise InvalidEntry("file", f"Colonnes manquantes : {', '.join(missing)}.")
        rows = []
        for row in reader:
            if any(cell.strip() for cell in row.get(None, [])):  # type: ignore[call-overload]
                raise InvalidEntry("file", _RAGGED.format(line=reader.line_num))
            clean = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
            rows.append((reader.line_num, clean))
    except csv.Error:  # a cell over the csv module's limit (131,072 characters)
        raise InvalidEntry(
            "file", f"Fichier CSV illisible ligne {reader.line_num} : cellule trop longue."
        ) from None
    return rows
