"""A message the model did not understand but the assistant answered about its last results."""

from services_directory.analytics.conversations import conversations
from services_directory.analytics.tracker import RawEvent


def events(*rows):
    return [RawEvent(n, "s", kind, float(n), data) for n, (kind, data) in enumerate(rows)]


def user(text, intent):
    return ("user", {"text": text, "parse_data": {"intent": {"name": intent}}})


def action(name):
    return ("action", {"name": name})


def test_a_follow_up_answered_through_the_fallback_is_not_counted_as_not_understood():
    (found,) = conversations(events(
        user("une crèche à Murat", "ask_childcare"), action("action_search_directory"),
        ("slot", {"name": "last_results", "value": ["1", "2"]}), action("action_listen"),
        user("c'est ouvert le mercredi ?", "nlu_fallback"), action("action_fallback"),
        ("bot", {"text": "1. Crèche : ouvert le mercredi, de 8 h à 18 h."}),
        ("slot", {"name": "last_results", "value": ["1", "2"]}), action("action_listen"),
        user("blorp", "nlu_fallback"), action("action_fallback"),
        ("bot", {"text": "Je n'ai pas bien compris."}), action("action_listen"),
        user("d'autres ?", "out_of_scope"), action("action_out_of_scope"),
        ("bot", {"text": "Je ne sais pas répondre à cela."}), action("action_listen"),
    ))
    assert [m.text for m in found.failed] == ["blorp", "d'autres ?"]
