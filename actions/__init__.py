"""
Custom actions of the assistant, split by what the newcomer wants.

rasa-sdk registers every Action subclass found in this package's modules.
"""

from sanic import Sanic
from sanic.exceptions import SanicException

from actions import server_secret
from actions.directory_client import directory


async def _close_directory(_app: Sanic, _loop: object) -> None:
    await directory().close()


# rasa-sdk creates its Sanic app, then imports this package: the directory client's connections
# are closed when that server stops, not left to the garbage collector's warnings, and only
# Rasa, with the shared secret, may call it (actions/server_secret.py).
try:
    _server = Sanic.get_app("rasa_sdk")
except SanicException:  # imported outside the action server (tests, tools)
    _server = None
if _server is not None:
    _server.register_listener(_close_directory, "before_server_stop")
    server_secret.protect(_server, server_secret.secret_from_env())
