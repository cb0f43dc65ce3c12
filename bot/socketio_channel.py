"""
socket.io as rasa-webchat and Rasa's chat widget speak it, on top of Rasa 3.6's channel.

Rasa 3.6's own channel loses every answer with python-socketio 5: it does not await
`enter_room`, so a session's room stays empty, and it spreads a custom payload into `emit`'s
keyword arguments, which raises. This one:

- `session_request` `{"session_id": "<id>"}`: the socket joins the session's room (awaited) and
  gets `session_confirm` with the id, a new random one when none or an unusable one is given;
- `user_uttered` `{"message": "…", "session_id": "…", "customData": {"territory": "<slug>"}}`
  (or `"metadata"`, Rasa's key): the message belongs to the session this socket was confirmed
  in (its own socket id before any), whatever id it names, so no socket speaks in another's;
- `bot_uttered`: one per bot message, in the shapes rasa-webchat renders (`{"text"}`,
  `{"text", "quick_replies"}`, `{"attachment"}`) and `{"custom": {…}}` for a custom payload.

`bot.channels.GuardedSocketIOInput` puts the guard (limits, apology) in front of it.
"""

from __future__ import annotations

import uuid
from typing import Any, Awaitable, Callable, Iterable, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio import AsyncServer

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
MAX_SESSION_ID_CHARS = 128  # as the REST channel's sender (bot/channels.py)
WIDGET_METADATA_KEY = "customData"  # where rasa-webchat and Rasa's chat widget put it


class WebchatOutput(OutputChannel):
    """Sends each bot message as one `bot_uttered` event to the conversation's room."""

    @classmethod
    def name(cls) -> str:
        return "socketio"  # domain responses and Rasa's logs know the channel by this name

    def __init__(self, sio: AsyncServer, bot_message_evt: str, namespace: Optional[str] = None):
        self.sio, self.bot_message_evt, self.namespace = sio, bot_message_evt, namespace

    async def emit(self, room: str, message: dict[str, Any]) -> None:
        await self.sio.emit(self.bot_message_evt, message, room=room, namespace=self.namespace)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        # One bubble per message, paragraphs kept, as the REST channel answers it.
        await self.emit(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.emit(recipient_id, {"text": text, "quick_replies": quick_replies(buttons)})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_attachment(recipient_id, {"type": "image", "payload": {"src": image}})

    async def send_attachment(  # type: ignore[override]
        self, recipient_id: str, attachment: dict[str, Any], **kwargs: Any
    ) -> None:
        await self.emit(recipient_id, {"attachment": attachment})

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        # One carousel: rasa-webchat shows a template only when `elements` is a list.
        carousel = {"template_type": "generic", "elements": list(elements)}
        await self.send_attachment(recipient_id, {"type": "template", "payload": carousel})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        # As the REST channel has it: the widget's custom component gets {"custom": {...}}.
        await self.emit(recipient_id, {"custom": json_message})


def quick_replies(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rasa's buttons as rasa-webchat's quick replies: a payload to send back, or a link."""
    return [
        {"type": "web_url", "title": button["title"], "url": button["url"]}
        if button.get("url")
        else {"content_type": "text", "title": button["title"], "payload": button.get("payload")}
        for button in buttons
    ]


def requested_session_id(data: Any) -> Optional[str]:
    session_id = data.get("session_id") if isinstance(data, dict) else None
    usable = isinstance(session_id, str) and 0 < len(session_id) <= MAX_SESSION_ID_CHARS
    return session_id if usable else None


class WebchatSocketIOInput(SocketIOInput):
    """Rasa's socket.io input (path, connect, JWT) with sessions and answers that arrive."""

    def get_output_channel(self) -> Optional[OutputChannel]:
        if self.sio is None:
            return super().get_output_channel()  # warns that it cannot, and gives None
        return WebchatOutput(self.sio, self.bot_message_evt, self.namespace)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        async def handle_message(sid: str, data: Any) -> None:
            await on_new_message(self.user_message(sid, data))

        # Replace Rasa's two handlers that lose the answers.
        self.sio.on("session_request", self.confirm_session, namespace=self.namespace)
        self.sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint

    async def confirm_session(self, sid: str, data: Any) -> None:
        session_id = requested_session_id(data) or uuid.uuid4().hex
        if self.session_persistence:
            for room in self.session_rooms(sid):  # a socket is in one session at a time
                await self.sio.leave_room(sid, room, namespace=self.namespace)
            await self.sio.enter_room(sid, session_id, namespace=self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

    def session_rooms(self, sid: str) -> list[str]:
        return [room for room in self.sio.rooms(sid, self.namespace) if room != sid]

    def sender_of(self, sid: str) -> str:
        """The conversation a socket speaks in: its confirmed session, else the socket itself."""
        rooms = self.session_rooms(sid) if self.session_persistence else []
        return rooms[0] if rooms else sid

    def user_message(self, sid: str, data: Any) -> UserMessage:
        data = data if isinstance(data, dict) else {}
        return UserMessage(
            data.get("message", ""),
            self.get_output_channel(),
            self.sender_of(sid),
            input_channel=self.name(),
            metadata=self.metadata_of(data),
        )

    def metadata_of(self, data: dict[str, Any]) -> dict[str, Any]:
        # Objects only: a JSON string (which Rasa would parse) escapes the guard's depth check.
        for key in (self.metadata_key, WIDGET_METADATA_KEY):
            if isinstance(data.get(key), dict):
                return data[key]
        return {}
