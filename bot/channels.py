"""
Rasa's REST and socket.io channels, guarded: every message gets an answer, and none floods.

Public websites send messages here, so in front of the dialogue:
- malformed or oversized requests are refused with a clear JSON error;
- one conversation may send `CHAT_MESSAGES_PER_MINUTE`, one address
  `CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS` (several newcomers can share a library's address);
- a turn that says nothing, fails, or outlasts `CHAT_TURN_DEADLINE_SECONDS` (action server down
  or slow, tracker store or lock store down) is answered with an apology and the territory's
  welcome contact, which the directory client keeps at hand.

`bot/credentials.yml` names these classes; Rasa puts its working folder on `sys.path`, so they
import as `bot.channels`. Limits are per process, like Rasa's in-memory state.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request

from actions.answers import unavailable_text
from actions.contact import contact_of, territory_of
from actions.directory_client import DirectoryClient
from actions.session import SLUG
from bot import rasa_speedups
from bot.socketio_channel import WebchatSocketIOInput

logger = logging.getLogger(__name__)
rasa_speedups.apply()  # Rasa loads this module at start (bot/credentials.yml)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
MAX_BODY_BYTES = 64 * 1024
MAX_SENDER_CHARS = 128
MAX_JSON_DEPTH = 32  # a message nests 3 levels; deeper JSON overflows Rasa's recursive copies

TOO_LONG = "Votre message est trop long ({max} caractères au plus) : pouvez-vous le raccourcir ?"
SLOW_DOWN = "Vous envoyez beaucoup de messages à la suite : attendez une minute avant de continuer."


def _env_number(name: str, default: float) -> float:
    value = float(os.environ.get(name) or default)
    if value <= 0:
        raise ValueError(f"{name} must be positive, not {value}")
    return value


class SlidingWindow:
    """At most `limit` events per key in any `period_s` seconds."""

    def __init__(self, limit: int, period_s: float = 60.0, max_keys: int = 100_000):
        self.limit, self.period_s, self.max_keys = limit, period_s, max_keys
        self._times: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        times = self._times.setdefault(key, deque())
        while times and now - times[0] >= self.period_s:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._times) > self.max_keys:
            self._forget_idle(now)
        return True

    def retry_after_s(self, key: str) -> int:
        times = self._times.get(key)
        if not times:
            return 0
        return max(1, round(self.period_s - (time.monotonic() - times[0])))

    def _forget_idle(self, now: float) -> None:
        # Many senders over time: drop those with nothing left in their window.
        for key in [k for k, t in self._times.items() if not t or now - t[-1] >= self.period_s]:
            del self._times[key]


class _Watched(OutputChannel):
    """Passes every message on to the real channel and counts them."""

    def __init__(self, channel: OutputChannel):
        self.channel = channel
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]  # responses may vary by channel
        return self.channel.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.channel.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.channel, attribute)


@dataclass
class Guard:
    """The checks every channel runs before and after the dialogue handles a message."""

    max_chars: int
    deadline_s: float
    per_sender: SlidingWindow
    per_address: SlidingWindow
    directory: DirectoryClient
    _background: set[asyncio.Task] = field(default_factory=set)

    @classmethod
    def from_env(cls) -> Guard:
        return cls(
            max_chars=int(_env_number("CHAT_MAX_MESSAGE_CHARS", 1000)),
            deadline_s=_env_number("CHAT_TURN_DEADLINE_SECONDS", 20),
            per_sender=SlidingWindow(int(_env_number("CHAT_MESSAGES_PER_MINUTE", 20))),
            per_address=SlidingWindow(
                int(_env_number("CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS", 120))
            ),
            directory=DirectoryClient.from_env(),
        )

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def guarded(message: UserMessage) -> None:
            output, sender = message.output_channel, message.sender_id
            slug = _territory_slug(message.metadata)
            if slug:  # warm the territory's copy now, so that it is at hand if a part fails
                self._in_background(self.directory.territory(slug))
            if len(message.text or "") > self.max_chars:
                await output.send_text_message(sender, TOO_LONG.format(max=self.max_chars))
                return
            if not self.per_sender.allow(sender):
                await output.send_text_message(sender, SLOW_DOWN)
                return
            watched = _Watched(output)
            message.output_channel = watched
            turn = asyncio.ensure_future(on_new_message(message))
            try:
                await asyncio.wait_for(asyncio.shield(turn), self.deadline_s)
            except asyncio.TimeoutError:
                logger.error("turn of %s over %.0f s: apologising", sender, self.deadline_s)
                self._background.add(turn)  # it goes on; its answer may come late
                turn.add_done_callback(self._finished)
            except Exception:
                logger.exception("turn of %s failed: apologising", sender)
            if watched.sent == 0:
                await output.send_text_message(sender, await self.apology(slug))

        return guarded

    async def apology(self, slug: Optional[str]) -> str:
        contact = contact_of(await territory_of(slug, self.directory))
        return unavailable_text(contact, "je ne peux pas vous répondre")

    def refusal(self, request: Request) -> Optional[response.HTTPResponse]:
        """A JSON error for a request the REST channel must not handle, else None."""
        address = request.remote_addr or request.ip
        if len(request.body or b"") > MAX_BODY_BYTES:
            return _error(
                413, "too_large", f"Requête trop grande ({MAX_BODY_BYTES} octets au plus)."
            )
        try:
            body = json.loads(request.body or b"")
        except (ValueError, RecursionError):  # RecursionError: nested past the parser's stack
            return _error(400, "bad_request", "Le corps doit être un objet JSON.")
        if _nested_deeper_than(body, MAX_JSON_DEPTH):
            return _error(
                400, "too_deep", f"JSON trop imbriqué ({MAX_JSON_DEPTH} niveaux au plus)."
            )
        sender = body.get("sender") if isinstance(body, dict) else None
        if not isinstance(sender, str) or not 0 < len(sender) <= MAX_SENDER_CHARS:
            return _error(400, "bad_request", "« sender » : texte de 1 à 128 caractères attendu.")
        if not isinstance(body.get("message"), str):
            return _error(400, "bad_request", "« message » : texte attendu.")
        if not isinstance(body.get("metadata", {}), dict):
            return _error(400, "bad_request", "« metadata » : objet JSON attendu.")
        if not self.per_address.allow(address):
            refusal = response.json([{"recipient_id": sender, "text": SLOW_DOWN}], status=429)
            refusal.headers["Retry-After"] = str(self.per_address.retry_after_s(address))
            return refusal
        return None

    def _in_background(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("background work failed: %r", task.exception())

    def closes_at_stop(self, blueprint: Blueprint) -> Blueprint:
        """Close the process's HTTP sessions (ours and Rasa's kept ones) when the server stops."""

        @blueprint.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.directory.close()
            await rasa_speedups.close_sessions()  # does nothing the second time

        return blueprint


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether parsed JSON nests more than `limit` objects or lists (a loop: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def _territory_slug(metadata: Any) -> Optional[str]:
    slug = metadata.get("territory") if isinstance(metadata, dict) else None
    return slug if isinstance(slug, str) and SLUG.match(slug) else None


def _error(status: int, code: str, message: str) -> response.HTTPResponse:
    return response.json({"error": {"code": code, "message": message}}, status=status)


class GuardedRestInput(RestInput):
    """Rasa's REST channel (`/webhooks/rest/webhook`, the widget's) behind the guard."""

    def __init__(self, guard: Optional[Guard] = None):
        self.guard = guard or Guard.from_env()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))

        @blueprint.middleware("request")
        async def refuse(request: Request) -> Optional[response.HTTPResponse]:
            return self.guard.refusal(request) if request.method == "POST" else None

        return self.guard.closes_at_stop(blueprint)


class GuardedSocketIOInput(WebchatSocketIOInput):
    """The socket.io channel of bot/socketio_channel.py behind the guard.

    The limit per address counts each message; a packet bigger than a REST request's limit
    closes the connection.
    """

    guard: Guard

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> SocketIOInput:
        channel = super().from_credentials(credentials)
        channel.guard = Guard.from_env()
        return channel

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(self.guard.wrap(on_new_message))
        self.sio.eio.max_http_buffer_size = MAX_BODY_BYTES
        namespace = self.namespace or "/"
        handle = self.sio.handlers[namespace][self.user_message_evt]

        async def limited(sid: str, data: Any) -> None:
            environ = self.sio.get_environ(sid, namespace) or {}
            request = environ.get("sanic.request")
            address = (request.remote_addr or request.ip) if request else sid
            if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
                return
            if _nested_deeper_than(data, MAX_JSON_DEPTH):
                return  # no status to answer with on socket.io: dropped like malformed data
            if not self.guard.per_address.allow(address):
                await self.sio.emit(self.bot_message_evt, {"text": SLOW_DOWN}, room=sid)
                return
            await handle(sid, data)

        self.sio.handlers[namespace][self.user_message_evt] = limited
        return self.guard.closes_at_stop(blueprint)
