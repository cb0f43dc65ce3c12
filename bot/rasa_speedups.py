"""
Six measured speed-ups of Rasa 3.6, applied in Rasa's process when `bot/channels.py` loads.

Each removes work Rasa does for nothing, on every turn or at start-up, and keeps its answers
exactly (docs/benchmarks.md has the profiles):
- every answer of the action server is checked with `jsonschema.validate`, which first checks
  the schema itself against JSON Schema's meta-schema (17 % of a directory-backed turn), then
  tries each event against all 23 event schemas (4.7 % of all turns, profiled). Here valid
  answers are checked by validators built once, each event against its own type's schema; an
  invalid answer goes through Rasa's own method, so it is refused with Rasa's own error;
- every event read back from the tracker store finds its class by walking all subclasses of
  `Event`: 6 % of a turn. Here each event type's class is remembered once found;
- spaCy's named-entity recogniser runs on every message though no component of config.yml
  reads its entities (tests/bot/test_rasa_speedups.py keeps it so): 13 % of a turn. Here it
  is switched off in the loaded model (Rasa already switches off the parser); tokens, lemmas,
  tags and vectors are the same;
- every message is understood, and every next action predicted, by running a graph of
  components through dask's scheduler, which spends 9 % of a turn scheduling a dozen nodes
  that run one after the other anyway. Here the same nodes are called in the same dependency
  order by a plain loop, the order found once per set of targets;
- loading DIET, Rasa builds its weights by fitting one dummy training step, traced into a
  TensorFlow graph: 69 % of the start-up, for weights that the trained ones then replace.
  Here that step runs eagerly; the prediction function is traced as before;
- every call to an endpoint (the action server, on every custom action) opens a new HTTP
  session, so a new connection: 0.8 ms of each directory-backed turn here. Here each endpoint
  keeps one session per event loop, closed by `close_sessions` when the server stops.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import aiohttp
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.core.events import Event
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel

_rasa_validation = RemoteAction._validate_action_result
_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}
_rasa_load_model = SpacyNLP.load_model
_rasa_model_load = RasaModel.load.__func__
_rasa_run_graph = DaskGraphRunner.run


def _validator(schema: dict[str, Any]) -> Any:
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


# Rasa's answer schema checks each event against a `oneOf` of 23 event schemas, each chosen by
# the constant value of `event` (which the event schema requires): an event is valid exactly
# when the branch of its own type accepts it. So each event is checked against that branch only.
_ANSWER_SCHEMA = RemoteAction.action_response_format_spec()
_EVENT_SCHEMA = _ANSWER_SCHEMA["properties"]["events"]["items"]
_EVENT_COMMON = {key: value for key, value in _EVENT_SCHEMA.items() if key != "oneOf"}
_ANSWER_PROPERTIES = dict(
    _ANSWER_SCHEMA["properties"], events={"type": "array", "items": _EVENT_COMMON}
)
_ANSWER = _validator(dict(_ANSWER_SCHEMA, properties=_ANSWER_PROPERTIES))
_EVENT_BY_TYPE = {
    branch["properties"]["event"]["const"]: _validator({**_EVENT_COMMON, "allOf": [branch]})
    for branch in _EVENT_SCHEMA["oneOf"]
}


def _is_valid_answer(result: Any) -> bool:
    if not _ANSWER.is_valid(result):
        return False
    for event in result.get("events", []):
        by_type = _EVENT_BY_TYPE.get(event["event"])
        if by_type is None or not by_type.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    return _is_valid_answer(result) or _rasa_validation(self, result)


def _resolve_by_type(
    type_name: str, default: Optional[type[Event]] = None
) -> Optional[type[Event]]:
    found = _event_classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)  # unknown names: Rasa's answer
        if found is not None and found is not default:
            _event_classes[type_name] = found
    return found


def _load_model(spacy_model_name: str) -> SpacyModel:
    spacy_model = _rasa_load_model(spacy_model_name)
    if "ner" in spacy_model.model.pipe_names:
        spacy_model.model.disable_pipe("ner")
    return spacy_model


def _load_weights_eagerly(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    config = kwargs.get("config", {})
    eager = {**kwargs, "config": {**config, RUN_EAGERLY: True}}
    model = _rasa_model_load(cls, model_file_name, model_data_example, None, finetune_mode,
                             *args, **eager)  # fmt: skip
    run_eagerly = bool(config.get(RUN_EAGERLY))
    model.config[RUN_EAGERLY] = run_eagerly
    model.run_eagerly = run_eagerly  # what Rasa's inference reads
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction function now
    return model


def _run_graph(
    self: DaskGraphRunner,
    inputs: Optional[dict[str, Any]] = None,
    targets: Optional[list[str]] = None,
) -> dict[str, Any]:
    run_targets = targets if targets else self._graph_schema.target_names
    plan = _plan(self, tuple(run_targets))
    results = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in plan):
            raise GraphRunError(f"Input value '{value}' clashes with a node name.")
        results[name] = (name, value)  # each node's output is (its name, its value)
    try:
        for name, needs in plan:
            if name not in results:  # an input of that name stands for the node, as in dask
                # A need that nothing provides is passed as its name, as dask does.
                results[name] = self._instantiated_nodes[name](*(results.get(n, n) for n in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def _plan(runner: DaskGraphRunner, targets: tuple[str, ...]) -> list[tuple[str, tuple]]:
    """The nodes the targets need, each after the nodes it needs, found once per targets."""
    plans = runner.__dict__.setdefault("_speedups_plans", {})
    if targets not in plans:
        nodes, plan, seen = runner._graph_schema.nodes, [], set()

        def visit(name: str) -> None:
            if name in nodes and name not in seen:
                seen.add(name)
                needs = tuple(nodes[name].needs.values())
                for need in needs:
                    visit(need)
                plan.append((name, needs))

        for target in targets:
            visit(target)
        plans[targets] = plan
    return plans[targets]


# Idle connections close before the server's keep-alive ends (Sanic's: 5 s), so that the server
# never closes a connection just as a request is sent on it.
KEEP_ALIVE_S = 2.0
# By (endpoint's id, loop); the endpoint is kept with its session, so that its id stays its own.
_kept_sessions: dict[tuple[int, Any], tuple[EndpointConfig, aiohttp.ClientSession]] = {}


class _KeptSession:
    """The endpoint's session, left open by Rasa's `async with endpoint.session()`."""

    def __init__(self, session: aiohttp.ClientSession):
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *exc_info: Any) -> None:
        return None


def _session(self: EndpointConfig) -> _KeptSession:
    key = (id(self), asyncio.get_running_loop())
    session = _kept_sessions[key][1] if key in _kept_sessions else None
    if session is None or session.closed:
        auth = None
        if self.basic_auth:  # as Rasa builds it
            auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_ALIVE_S),
        )  # fmt: skip
        _kept_sessions[key] = (self, session)
    return _KeptSession(session)


async def close_sessions() -> None:
    """Close the sessions the endpoints kept on this event loop (when the server stops)."""
    loop = asyncio.get_running_loop()
    for key in [key for key in _kept_sessions if key[1] is loop]:
        _, session = _kept_sessions.pop(key)
        await session.close()


def apply() -> None:
    """Install the speed-ups (idempotent)."""
    DaskGraphRunner.run = _run_graph
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    SpacyNLP.load_model = staticmethod(_load_model)
    RasaModel.load = classmethod(_load_weights_eagerly)
    EndpointConfig.session = _session
