"""
Validate data·inclusion v1 files with the schema's own package (runs in .venvs/data-inclusion).

    python scripts/validate_data_inclusion.py structures.json services.json
        prints {"structures": {"valid": N, "invalid": [...]}, "services": {...},
        "missing_structures": [...]} and exits 1 when anything is invalid.
    python scripts/validate_data_inclusion.py --lines
        reads one {"model": "Service"|"Structure", "record": {...}} a line from standard input
        and answers one {"errors": [...]} a line (the property-based tests drive it).

Validation is strict: the schema's warnings (a name ending with a full stop) count as errors.
"""

import json
import sys
from pathlib import Path

from data_inclusion.schema.v1 import Service, Structure
from pydantic import ValidationError

MODELS = {"Service": Service, "Structure": Structure}
STRICT = {"ignore_warnings": False}


def errors_of(model: str, record: object) -> list[str]:
    """What the schema refuses in one record (empty when valid)."""
    try:
        MODELS[model].model_validate(record, context=STRICT)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
    return []


def check_files(structures_path: Path, services_path: Path) -> dict:
    """Every record of both files, and every service's structure present."""
    report: dict = {}
    files = {"structures": ("Structure", structures_path), "services": ("Service", services_path)}
    records: dict[str, list] = {}
    for name, (model, path) in files.items():
        records[name] = json.loads(path.read_text(encoding="utf-8"))
        invalid = []
        for record in records[name]:
            problems = errors_of(model, record)
            if problems:
                invalid.append({"id": record.get("id"), "errors": problems})
        report[name] = {"valid": len(records[name]) - len(invalid), "invalid": invalid}
    known = {structure.get("id") for structure in records["structures"]}
    report["missing_structures"] = sorted(
        {s.get("structure_id") for s in records["services"]} - known, key=str
    )
    return report


def answer_lines() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps({"errors": errors_of(request["model"], request["record"])}), flush=True)


def main(argv: list[str]) -> int:
    if argv == ["--lines"]:
        answer_lines()
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    report = check_files(Path(argv[0]), Path(argv[1]))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    bad = report["structures"]["invalid"] or report["services"]["invalid"]
    return 1 if bad or report["missing_structures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
