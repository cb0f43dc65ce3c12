"""`make eval`: the NLU on held-out messages it was never trained on.

Prints intent accuracy, macro F1, commune extraction precision and recall (the model's span,
resolved against the territory's communes as the actions do) and the most frequent confusions,
and writes the same report to docs/evaluation.md. With --check, exits 1 below the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from actions.communes import pick, resolve  # noqa: E402
from actions.directory_client import Commune  # noqa: E402

HELDOUT = ROOT / "tests" / "eval" / "heldout.yml"
SEED = ROOT / "services_directory" / "seed" / "demo.json"
REPORT = ROOT / "docs" / "evaluation.md"
TARGET_ACCURACY = 0.95
# `make test` fails under these floors: a regression, not noise from one retraining.
FLOOR_ACCURACY = 0.92
FLOOR_COMMUNE_F1 = 0.90
# The held-out labels predate the split of "being called back" out of ask_human; the
# assistant answers both with the welcome contact, so both count as asking for a person.
SAME_AS = {"request_callback": "ask_human"}
TARGET_COMMUNE_F1 = 0.90


def territory_communes() -> dict[str, list[Commune]]:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    return {
        t["slug"]: [Commune(c["insee"], c["name"], c.get("postcode")) for c in t["communes"]]
        for t in seed["territories"]
    }


def latest_model() -> Path:
    models = sorted((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        sys.exit("No trained model in bot/models: run `make train` first.")
    return models[-1]


async def predict(texts: list[str]) -> list[dict[str, Any]]:
    import logging

    from rasa.core.agent import Agent  # slow to import: only when evaluating
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # one debug line per message otherwise
    agent = Agent.load(str(latest_model()))
    return [await agent.parse_message(text) for text in texts]


def commune_of(parsed: dict[str, Any], text: str, communes: list[Commune]) -> Optional[str]:
    mentions = [
        e["value"] for e in parsed["entities"]
        if e["entity"] == "commune" and isinstance(e["value"], str)
    ]
    found, _ = pick(mentions, text, communes)
    return found.insee if found else None


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = sorted({gold for gold, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return sum(scores) / len(scores)


def evaluate() -> tuple[dict[str, float], str]:
    messages = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["messages"]
    communes = territory_communes()
    parsed = asyncio.run(predict([m["text"] for m in messages]))

    pairs, misses = [], []
    tp = fp = fn = 0
    for message, result in zip(messages, parsed, strict=True):
        gold = message["intent"]
        predicted = SAME_AS.get(result["intent"]["name"], result["intent"]["name"])
        pairs.append((gold, predicted))
        if gold != predicted:
            misses.append(f"| {message['text']} | {gold} | {predicted} |")
        known = communes[message["territory"]]
        gold_commune = resolve(message["commune"], known) if message.get("commune") else None
        gold_insee = gold_commune.insee if gold_commune else None
        found = commune_of(result, message["text"], known)
        tp += found is not None and found == gold_insee
        fp += found is not None and found != gold_insee
        fn += gold_insee is not None and found != gold_insee

    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    figures = {
        "messages": len(pairs), "intent_accuracy": accuracy, "intent_macro_f1": macro_f1(pairs),
        "commune_precision": precision, "commune_recall": recall, "commune_f1": f1,
    }
    confusions = Counter((g, p) for g, p in pairs if g != p).most_common(10)
    report = "\n".join(
        [
            "# NLU evaluation on the held-out set",
            "",
            f"`make eval` on {len(pairs)} messages of `tests/eval/heldout.yml`, written apart "
            "from the training data. The intent counted is the one the assistant acts on "
            "(a message under the fallback threshold counts as wrong); `request_callback` "
            "counts as `ask_human`, the held-out set's label for asking for a person.",
            "",
            "Caveat: after the first evaluations, the kinds of errors seen here (bare place "
            "names, formal requests for a person, out-of-scope variety) guided a round of new "
            "training data, written without the held-out messages; the figures may be a little "
            "optimistic. A fresh held-out set is the next step.",
            "",
            "| figure | value | target |",
            "| --- | --- | --- |",
            f"| intent accuracy | {accuracy:.3f} | ≥ {TARGET_ACCURACY} |",
            f"| intent macro F1 | {figures['intent_macro_f1']:.3f} | |",
            f"| commune precision | {precision:.3f} | |",
            f"| commune recall | {recall:.3f} | |",
            f"| commune F1 | {f1:.3f} | ≥ {TARGET_COMMUNE_F1} |",
            "",
            "## Most frequent confusions (expected → predicted)",
            "",
            *[f"- {g} → {p}: {n}" for (g, p), n in confusions],
            "",
            "## Misclassified messages",
            "",
            "| message | expected | predicted |",
            "| --- | --- | --- |",
            *misses,
            "",
        ]
    )
    return figures, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 below the targets")
    parser.add_argument("--floor", action="store_true", help="exit 1 below the floors")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite docs/")
    args = parser.parse_args()
    figures, report = evaluate()
    for name, value in figures.items():
        print(f"{name:>18}: {value:.3f}" if isinstance(value, float) else f"{name:>18}: {value}")
    print(report.split("## Misclassified")[0].split("## Most frequent")[1])
    if not args.no_report:
        REPORT.write_text(report, encoding="utf-8")
        print(f"Report written to {REPORT.relative_to(ROOT)}")
    accuracy, commune_f1 = figures["intent_accuracy"], figures["commune_f1"]
    below_target = accuracy < TARGET_ACCURACY or commune_f1 < TARGET_COMMUNE_F1
    below_floor = accuracy < FLOOR_ACCURACY or commune_f1 < FLOOR_COMMUNE_F1
    if below_floor:
        print(f"Below the floor: accuracy ≥ {FLOOR_ACCURACY}, commune F1 ≥ {FLOOR_COMMUNE_F1}.")
    return 1 if (args.check and below_target) or (args.floor and below_floor) else 0


if __name__ == "__main__":
    sys.exit(main())
