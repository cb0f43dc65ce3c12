"""bot/rasa_speedups.py: the same answers as Rasa's, without its repeated work."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import rasa.shared.core.events as events_module
import yaml
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.nlu.utils.spacy_utils import SpacyNLP
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_speedups

ROOT = Path(__file__).resolve().parents[2]
VALID = {
    "events": [{"event": "slot", "name": "topic", "value": "childcare"}],
    "responses": [{"text": "Voici les crèches près de Murat."}],
}
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": "text"},
]


@pytest.fixture
def remote_action():
    rasa_speedups.apply()
    return RemoteAction("action_search_directory", None)


def test_valid_answers_pass_without_checking_the_schema_again(remote_action, monkeypatch):
    checks = []
    validator_class = validator_for(RemoteAction.action_response_format_spec())
    monkeypatch.setattr(
        validator_class, "check_schema", classmethod(lambda cls, s: checks.append(s))
    )
    for _ in range(3):
        assert remote_action._validate_action_result(VALID) is True
    assert checks == []  # Rasa's own method checks the schema on every call


@pytest.mark.parametrize("answer", INVALID)
def test_invalid_answers_get_rasas_own_error(remote_action, answer):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        remote_action._validate_action_result(answer)


def test_the_channels_module_installs_it():
    import bot.channels  # noqa: F401  (what Rasa loads from bot/credentials.yml)

    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result


def test_event_classes_are_rasas_and_looked_up_once(monkeypatch):
    rasa_speedups.apply()
    names = {cls.type_name for cls in all_subclasses(Event)}
    expected = {name: rasa_speedups._rasa_resolve_by_type(name) for name in names}
    walks = []
    monkeypatch.setattr(rasa_speedups, "_event_classes", {})
    monkeypatch.setattr(
        events_module.rasa.shared.utils.common,
        "all_subclasses",
        lambda cls: walks.append(cls) or all_subclasses(cls),
    )
    for _ in range(3):
        assert {name: Event.resolve_by_type(name) for name in names} == expected
    # Once per event type; Rasa's own walks all subclasses for every event it reads.
    assert walks.count(Event) == len(names)


def test_unknown_event_types_keep_rasas_answers():
    rasa_speedups.apply()
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    assert Event.resolve_by_type("topic") is None


# The Rasa components that read spaCy's named entities: with one in config.yml, spaCy's
# recogniser must run again (remove the speed-up).
READS_SPACY_ENTITIES = {"SpacyEntityExtractor"}
SAMPLES = [
    "je cherche une crèche à Murat",
    "Y a-t-il un espace de coworking à Saint-Flour ou à Clermont-Ferrand ?",
    "Bonjour, je m'appelle Marie Dupont et je déménage en Lozère en 2027",
    "merci",
]


def test_no_component_of_the_pipeline_reads_spacys_entities():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    assert {step["name"] for step in config["pipeline"]} & READS_SPACY_ENTITIES == set()


def test_without_the_recogniser_what_rasa_reads_of_spacy_is_the_same():
    rasa_speedups.apply()
    fast = SpacyNLP.load_model("fr_core_news_md").model
    assert "ner" not in fast.pipe_names
    full = rasa_speedups._rasa_load_model("fr_core_news_md").model
    assert "ner" in full.pipe_names
    for text in SAMPLES:
        fast_doc, full_doc = fast(text), full(text)
        assert [(t.text, t.lemma_, t.tag_, t.pos_) for t in fast_doc] == [
            (t.text, t.lemma_, t.tag_, t.pos_) for t in full_doc
        ]
        assert numpy.array_equal(fast_doc.vector, full_doc.vector)


# Answers of every shape: events of each type (and unknown ones), each field right or wrong
# (`st.one_of(right, wrong)`): about a third of them are valid.
_TEXT = st.text(max_size=5)
_ENTITY = st.one_of(
    st.fixed_dictionaries({"entity": _TEXT, "value": _TEXT}, optional={"start": st.integers()}),
    st.fixed_dictionaries({"value": _TEXT}),  # no `entity`
    st.fixed_dictionaries({"entity": _TEXT, "value": _TEXT, "start": _TEXT}),
)
_FIELDS = {
    "timestamp": st.one_of(st.one_of(st.none(), st.floats(allow_nan=False)), _TEXT),
    "metadata": st.one_of(st.one_of(st.none(), st.just({"a": 1})), st.integers()),
    "name": st.one_of(_TEXT, st.one_of(st.none(), st.integers())),
    "value": st.one_of(st.none(), _TEXT, st.integers()),
    "text": st.one_of(st.one_of(st.none(), _TEXT), st.integers()),
    "policy": st.one_of(st.one_of(st.none(), _TEXT), st.booleans()),
    "hide_rule_turn": st.one_of(st.booleans(), _TEXT),
    "entities": st.one_of(st.lists(_ENTITY, max_size=2), _TEXT),
    "parse_data": st.one_of(
        st.fixed_dictionaries({}, optional={
            "intent": st.fixed_dictionaries({"name": st.one_of(_TEXT, st.integers())}),
            "entities": st.lists(_ENTITY, max_size=2),
        }),
        st.integers(),
    ),
}  # fmt: skip
_EVENT_TYPES = sorted(rasa_speedups._EVENT_BY_TYPE) + ["no_such_event"]


@st.composite
def _events(draw):
    event = {"event": draw(st.sampled_from(_EVENT_TYPES))}
    for field in draw(st.lists(st.sampled_from(sorted(_FIELDS)), max_size=3, unique=True)):
        event[field] = draw(_FIELDS[field])
    return event


_ANSWERS = st.one_of(
    st.fixed_dictionaries({}, optional={
        "events": st.lists(_events(), max_size=3),
        "responses": st.lists(st.just({"text": "x"}), max_size=2),
    }),
    st.fixed_dictionaries({"events": st.one_of(_TEXT, st.lists(st.integers(), min_size=1))}),
    st.lists(st.integers(), max_size=1),
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(_ANSWERS)
def test_answers_are_judged_as_rasas_schema_judges_them(answer):
    schema = RemoteAction.action_response_format_spec()
    assert rasa_speedups._is_valid_answer(answer) == validator_for(schema)(schema).is_valid(answer)


def test_the_judged_answers_include_valid_ones_of_each_event_type():
    for event_type in rasa_speedups._EVENT_BY_TYPE:
        event = {"event": event_type, "name": "topic", "value": "x", "entities": []}
        assert rasa_speedups._is_valid_answer({"events": [event]}), event_type


@pytest.mark.asyncio
async def test_an_endpoint_keeps_its_connection_across_calls():
    rasa_speedups.apply()
    peers = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "echo": await request.json()})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        answers = [await endpoint.request(json={"call": n}) for n in range(3)]
        assert [answer["echo"] for answer in answers] == [{"call": 0}, {"call": 1}, {"call": 2}]
        assert len(peers) == 3 and len(set(peers)) == 1  # Rasa's own opens three
        await rasa_speedups.close_sessions()
        await endpoint.request(json={"call": 3})  # a new session after the close
        assert len(set(peers)) == 2
    finally:
        await rasa_speedups.close_sessions()
        await runner.cleanup()
