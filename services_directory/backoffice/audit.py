"""The security log: sign-ins, failed sign-ins, refused access, in a table and the logger."""

import ipaddress
import logging

from aiohttp import web

from ..appkeys import STORAGE
from ..sqlbase import now
from .records import AuthEvent

logger = logging.getLogger("services_directory.security")


def client_ip(request: web.Request) -> str:
    """
    The client's address; behind a proxy on loopback, the last X-Forwarded-For hop.

    Only a proxy on this machine is trusted to name the client (nginx appends it).
    """
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        loopback = ipaddress.ip_address(remote).is_loopback
    except ValueError:
        loopback = False
    if loopback and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64]
    return remote[:64]


async def log_event(request: web.Request, event: str, email: str = "", detail: str = "") -> None:
    """Record one security event (e.g. login, login_failed, denied, csrf_refused)."""
    ip, path = client_ip(request), request.path[:300]
    line = AuthEvent(now(), event, email[:200], ip, path, detail[:300])
    level = logging.INFO if event in ("login", "logout") else logging.WARNING
    logger.log(level, "%s email=%s ip=%s path=%s %s", *_fields(line))
    await request.app[STORAGE].add_auth_event(line)


def _fields(line: AuthEvent) -> tuple[str, ...]:
    return line.event, line.email or "-", line.ip, line.path, line.detail
