"""The trained model, loaded by Rasa and with bot/rasa_speedups.py: the same understanding."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy
import yaml
from rasa.core.agent import Agent
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.utils.tensorflow.models import RasaModel

from bot import rasa_speedups

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "tests" / "eval" / "heldout.yml"


def newest_model() -> Path:
    models = sorted((ROOT / "bot" / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    assert models, "no trained model: `make train` first (make unit depends on it)"
    return models[-1]


def understood(agent: Agent, texts: list[str]) -> list[tuple]:
    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return [
        (
            parsed["intent"]["name"],
            parsed["intent"]["confidence"],
            [(e["entity"], e["value"], e["start"], e["end"]) for e in parsed["entities"]],
        )
        for parsed in asyncio.run(parse_all())
    ]


def test_the_speed_ups_change_nothing_the_model_understands(monkeypatch):
    texts = [m["text"] for m in yaml.safe_load(HELD_OUT.read_text("utf-8"))["messages"]][::8]
    model = newest_model()
    monkeypatch.setattr(RasaModel, "load", classmethod(rasa_speedups._rasa_model_load))
    monkeypatch.setattr(SpacyNLP, "load_model", staticmethod(rasa_speedups._rasa_load_model))
    monkeypatch.setattr(DaskGraphRunner, "run", rasa_speedups._rasa_run_graph)
    rasas = understood(Agent.load(str(model)), texts)
    monkeypatch.undo()
    rasa_speedups.apply()
    ours = understood(Agent.load(str(model)), texts)
    assert [(intent, entities) for intent, _, entities in ours] == [
        (intent, entities) for intent, _, entities in rasas
    ]
    assert numpy.allclose([c for _, c, _ in ours], [c for _, c, _ in rasas], atol=1e-5)
    assert len(texts) > 40
