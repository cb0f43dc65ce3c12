"""
Four measured speed-ups of Rasa 3.6, applied in Rasa's process when `bot/channels.py` loads.

Each removes work Rasa does for nothing, on every turn or at start-up, and keeps its answers
exactly (docs/benchmarks.md has the profiles):
- every answer of the action server is checked with `jsonschema.validate`, which first checks
  the schema itself against JSON Schema's meta-schema: 17 % of a directory-backed turn. Here
  valid answers are checked by a validator built once; an invalid one goes through Rasa's own
  method, so it is refused with Rasa's own error;
- every event read back from the tracker store finds its class by walking all subclasses of
  `Event`: 6 % of a turn. Here each event type's class is remembered once found;
- spaCy's named-entity recogniser runs on every message though no component of config.yml
  reads its entities (tests/bot/test_rasa_speedups.py keeps it so): 13 % of a turn. Here it
  is switched off in the loaded model; tokens, lemmas, tags and vectors are the same;
- loading DIET, Rasa builds its weights by fitting one dummy training step, traced into a
  TensorFlow graph: 69 % of the start-up, for weights that the trained ones then replace.
  Here that step runs eagerly; the prediction function is traced as before.
"""

from __future__ import annotations

from typing import Any, Optional

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.core.events import Event
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel

_rasa_validation = RemoteAction._validate_action_result
_rasa_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}
_rasa_load_model = SpacyNLP.load_model
_rasa_model_load = RasaModel.load.__func__


def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


_VALIDATOR = _validator()


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    return _VALIDATOR.is_valid(result) or _rasa_validation(self, result)


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


def apply() -> None:
    """Install the speed-ups (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    SpacyNLP.load_model = staticmethod(_load_model)
    RasaModel.load = classmethod(_load_weights_eagerly)
