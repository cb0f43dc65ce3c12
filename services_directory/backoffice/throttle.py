"""
The password-guessing throttle, shared by sign-in and the current-password check.

An attempt is counted *before* its password is checked: storage locks the account's and the
address's counters, counts the failures of the window (attempts still being checked count as
failures), and records the new attempt as a failure, all in one transaction. Concurrent
attempts therefore queue on the counters, and at most the limit ever reach Argon2, however
many arrive at once. A right password then marks its attempt as a success.
"""

from datetime import datetime, timedelta, timezone

from aiohttp import web

from ..appkeys import STORAGE
from .audit import client_ip
from .passwords import verify_password

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


async def check_password(
    request: web.Request, email: str, password_hash: str | None, password: str
) -> bool | None:
    """
    Check a password unless the account or the address has failed too often.

    Args:
        request: the request (its client address is counted).
        email: the account's e-mail as typed (unknown ones are counted too).
        password_hash: the stored hash; None for an unknown or disabled account.
        password: what was typed.

    Returns:
        True (right password), False (wrong), None (throttled: the password was not checked).
    """
    storage = request.app[STORAGE]
    since = (datetime.now(timezone.utc) - WINDOW).isoformat(timespec="seconds")
    limits = (MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS)
    attempt = await storage.begin_login_attempt(email, client_ip(request), since, limits)
    if attempt is None:
        return None
    if not await verify_password(password_hash, password):
        return False
    await storage.login_attempt_succeeded(attempt)
    return True
