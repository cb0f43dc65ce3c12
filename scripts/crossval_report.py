"""Summarise `rasa test nlu --cross-validation` results into docs/crossvalidation.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def table(title: str, report: dict[str, Any]) -> list[str]:
    rows = [f"| {title} | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for name, row in sorted(report.items()):
        if isinstance(row, dict) and "support" in row and not name.endswith("avg"):
            rows.append(
                f"| {name} | {row['precision']:.3f} | {row['recall']:.3f} "
                f"| {row['f1-score']:.3f} | {row['support']} |"
            )
    return rows


def main(results: Path) -> int:
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    entity_file = results / "DIETClassifier_report.json"
    entities = json.loads(entity_file.read_text(encoding="utf-8")) if entity_file.exists() else {}
    accuracy, macro_f1 = intents["accuracy"], intents["macro avg"]["f1-score"]
    lines = [
        "# NLU cross-validation on the training data",
        "",
        "`make crossval`: 3-fold cross-validation of `config.yml` on `data/nlu/` (test folds).",
        "It shows how well the data teaches the model; the held-out figures are in",
        "`docs/evaluation.md`. Each fold trains on two thirds of the data, so small intents",
        "(chitchat, feedback: 12 to 46 examples) lose much of what teaches them, and a",
        "prediction under the fallback threshold counts as wrong.",
        "",
        f"Intent accuracy {accuracy:.3f}, macro F1 {macro_f1:.3f}.",
        "",
        *table("intent", intents),
        "",
        *(table("entity", entities) if entities else []),
    ]
    (ROOT / "docs" / "crossvalidation.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[8:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "var" / "crossval"))
