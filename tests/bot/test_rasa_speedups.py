"""The action-answer check of bot/rasa_speedups.py: same verdicts as Rasa's, schema checked once."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

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
