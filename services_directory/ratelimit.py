"""
Rate limits: API writes, public API reads, back-office forms; per address, token or session.

A token bucket per key, in this process's memory: `N` per minute allows a burst of `N`, then
one more every `60 / N` seconds. **With several processes each one counts for itself**, so the
real limit is `N` times the number of processes (scale mode: put a shared limit in the reverse
proxy if that matters). Beyond the limit the answer is 429 with `Retry-After`: JSON
(`rate_limited`) for the API, a French page for people. The sign-in throttle (per account and
address, on failures, stored in the database: `backoffice/login.py`) comes on top.

The client address is the one the security log uses (`backoffice/audit.client_ip`): the peer,
or the last `X-Forwarded-For` hop when the peer is a proxy on loopback.

Reads (`GET`/`HEAD /api/v1/…`, and the public directory pages `/t/<slug>/services`, which
search too) are public and each may run a search: counted per address,
generously (a reuser paging through the directory, a library's shared address). The
assistant's reads (the action server answering every newcomer) are not counted: they carry
the assistant's secret (`DIRECTORY_ASSISTANT_TOKEN`). Where they come from proves nothing:
under `make run` every visitor is a loopback peer too.
"""

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from .appkeys import SETTINGS
from .auth import bearer
from .backoffice.audit import client_ip
from .backoffice.render import render
from .backoffice.sessions import SESSION_COOKIE
from .pages import error_page
from .settings import Settings
from .views import json_response

logger = logging.getLogger("services_directory.security")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
READS = frozenset({"GET", "HEAD"})
MAX_KEYS = 50_000  # buckets kept before the full (idle) ones are dropped


class RateLimiter:
    """Token buckets: `per_minute` requests per key and per minute, in bursts of as many."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._refused: set[str] = set()

    def wait(self, key: str) -> float:
        """Seconds before `key` may pass (0: now). Never consumes anything."""
        if self.capacity <= 0:
            return 0.0
        tokens = self._tokens(key, self.clock())
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, key: str) -> None:
        """Count one request of `key` (after `wait` said 0)."""
        if self.capacity <= 0:
            return
        moment = self.clock()
        self._buckets[key] = (self._tokens(key, moment) - 1, moment)
        self._refused.discard(key)
        if len(self._buckets) > MAX_KEYS:
            self._forget_full(moment)

    def first_refusal(self, key: str) -> bool:
        """True the first time `key` is refused since it last passed (to log once, not a flood)."""
        new = key not in self._refused
        self._refused.add(key)
        return new

    def _tokens(self, key: str, moment: float) -> float:
        tokens, at = self._buckets.get(key, (self.capacity, moment))
        return min(self.capacity, tokens + (moment - at) * self.rate)

    def _forget_full(self, moment: float) -> None:
        # A full bucket is the same as no bucket; if they are all busy, drop the oldest half.
        full = [key for key in self._buckets if self._tokens(key, moment) >= self.capacity]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) > MAX_KEYS:
            for key in list(self._buckets)[: len(self._buckets) // 2]:
                del self._buckets[key]
        self._refused &= self._buckets.keys()


@dataclass(frozen=True)
class Limits:
    """The limiters of an application."""

    api_token: RateLimiter
    api_address: RateLimiter
    admin_session: RateLimiter
    admin_address: RateLimiter
    api_reads_address: RateLimiter

    @classmethod
    def from_settings(
        cls, settings: Settings, clock: Callable[[], float] = time.monotonic
    ) -> "Limits":
        """Limiters with the configured rates (0: no limit)."""
        return cls(
            RateLimiter(settings.api_writes_per_minute, clock),
            RateLimiter(settings.api_writes_per_minute_per_address, clock),
            RateLimiter(settings.admin_posts_per_minute, clock),
            RateLimiter(settings.admin_posts_per_minute_per_address, clock),
            RateLimiter(settings.api_reads_per_minute_per_address, clock),
        )


LIMITS = web.AppKey("rate_limits", Limits)


def _hashed(secret: str) -> str:
    # Keys never keep a token or a session id as such.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _checks(request: web.Request, limits: Limits) -> list[tuple[str, RateLimiter, str]]:
    path = request.path
    if request.method in WRITES and path.startswith("/api/v1/"):
        checks = [("address", limits.api_address, _address(request))]
        token = bearer(request)
        if token is not None:
            checks.append(("token", limits.api_token, _hashed(token)))
        return checks
    if request.method in READS and _public_read(path):
        if _from_the_assistant(request):
            return []
        return [("reads", limits.api_reads_address, _address(request))]
    if request.method == "POST" and path.startswith("/admin/"):
        checks = [("address", limits.admin_address, _address(request))]
        session = request.cookies.get(SESSION_COOKIE)
        if session:
            checks.append(("session", limits.admin_session, _hashed(session)))
        return checks
    return []


def _address(request: web.Request) -> str:
    """
    The client's address as a bucket key; IPv6 by /64 network.

    One IPv6 subscriber gets a whole /64 (2^64 addresses): counting each address apart would
    let a single visitor take a fresh one for every request.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def _public_read(path: str) -> bool:
    """The API's reads and the public directory pages: both run searches for anyone."""
    return path.startswith("/api/v1/") or (path.startswith("/t/") and path.endswith("/services"))


def _from_the_assistant(request: web.Request) -> bool:
    """A read that shows the assistant's secret: the action server, reading for a newcomer."""
    expected = request.app[SETTINGS].assistant_token
    token = bearer(request)
    if not expected or not token:
        return False
    return hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse API writes, public API reads and back-office forms beyond their limits (429)."""
    checks = _checks(request, request.app[LIMITS])
    if not checks:
        return await handler(request)
    waits = [(limiter.wait(key), scope, limiter, key) for scope, limiter, key in checks]
    longest = max(waits, key=lambda wait: wait[0])
    if longest[0] > 0:
        seconds, scope, limiter, key = longest
        if limiter.first_refusal(key):
            logger.warning(
                "rate_limited scope=%s ip=%s method=%s path=%s",
                scope, client_ip(request), request.method, request.path[:300],
            )  # fmt: skip
        return _refusal(request, max(1, math.ceil(seconds)))
    for _, limiter, key in checks:
        limiter.take(key)
    return await handler(request)


def _refusal(request: web.Request, seconds: int) -> web.Response:
    delay = f"{seconds} seconde{'s' if seconds > 1 else ''}"
    if request.path.startswith("/api/"):
        what = "de lecture" if request.method in READS else "d'écriture"
        message = f"Trop de requêtes {what} en peu de temps : réessayez dans {delay}."
        response = json_response(
            {"error": {"code": "rate_limited", "message": message}}, status=429
        )
    elif request.path.startswith("/t/"):
        message = (
            f"Vous avez fait beaucoup de recherches en peu de temps. Patientez {delay}, "
            "puis recommencez."
        )
        response = error_page(429, message)
    else:
        message = (
            f"Vous avez envoyé beaucoup de formulaires en peu de temps. Patientez {delay}, "
            "puis recommencez : ce que vous avez saisi n'a pas été enregistré."
        )
        context = {"heading": "Trop de demandes", "message": message}
        response = render(request, "backoffice/error.html", context, status=429)
    response.headers["Retry-After"] = str(seconds)
    return response
