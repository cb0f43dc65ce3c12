"""
API tokens on the command line: create one with a lifetime, list them, revoke one.

    python -m services_directory tokens create --email a@b.fr [--days 30]
    python -m services_directory tokens list [--email a@b.fr]
    python -m services_directory tokens revoke --id 3

A token is printed once, at creation; afterwards it is known by its number and its first
characters only (the database keeps its SHA-256, which is never shown either).
"""

import argparse
from datetime import timedelta
from typing import TextIO

from .auth import hash_token, new_token
from .backoffice.records import ApiToken
from .errors import InvalidEntry
from .sqlaccounts import DEFAULT_TOKEN_DAYS, later
from .sqlbase import now
from .storage import Storage

MAX_TOKEN_DAYS = 365
PREFIX_LENGTH = 6  # enough to recognise a token one holds, far too little to guess it


def add_token_commands(
    tokens: argparse._SubParsersAction,  # type: ignore[type-arg]
    create: argparse.ArgumentParser,
) -> None:
    """`tokens create [--days]`, `tokens list [--email]`, `tokens revoke --id`."""
    create.add_argument(
        "--days", type=int, default=DEFAULT_TOKEN_DAYS,
        help=f"lifetime in days (1 to {MAX_TOKEN_DAYS}; default {DEFAULT_TOKEN_DAYS})",
    )  # fmt: skip
    create.set_defaults(run=create_token)
    listing = tokens.add_parser("list", help="list API tokens: number, first characters, dates")
    listing.add_argument("--email", help="only this account's tokens")
    listing.set_defaults(run=list_tokens)
    revoke = tokens.add_parser("revoke", help="revoke one API token, by its number")
    revoke.add_argument("--id", type=int, required=True, help="the number `tokens list` shows")
    revoke.set_defaults(run=revoke_token)


async def create_token(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`tokens create --email [--days]`: the token is printed once, as the last word."""
    days = getattr(args, "days", DEFAULT_TOKEN_DAYS)
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidEntry("days", f"La durée de vie d'un jeton va de 1 à {MAX_TOKEN_DAYS} jours.")
    user = await storage.get_user(args.email)
    token = new_token()
    expires_at = later(timedelta(days=days))
    number = await storage.add_token(user.id, hash_token(token), expires_at, token[:PREFIX_LENGTH])
    print(
        f"Jeton d'API n° {number} de {user.email}, valable jusqu'au {expires_at[:10]}"
        f" (gardez-le, il ne sera plus affiché) : {token}",
        file=out,
    )
    return 0


async def list_tokens(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`tokens list [--email]`: one line per token, never the token nor its hash."""
    tokens = await storage.list_tokens(args.email)
    if not tokens:
        print("Aucun jeton d'API.", file=out)
    for token in tokens:
        print(describe(token), file=out)
    return 0


async def revoke_token(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`tokens revoke --id N`: that token stops working at once (401)."""
    token = await storage.revoke_token(args.id)
    print(f"Jeton d'API n° {token.id} de {token.owner.email} révoqué.", file=out)
    return 0


def describe(token: ApiToken) -> str:
    """One line about a token, in French."""
    owner = token.owner
    territories = ", ".join(owner.territories) or "tous les territoires"
    state = "expiré le" if token.expires_at <= now() else "expire le"
    used = token.last_used_at[:16].replace("T", " ") if token.last_used_at else "jamais"
    return (
        f"n° {token.id}  {shown_prefix(token)}  {owner.email} ({owner.role} : {territories})"
        f"  créé le {token.created_at[:10]}  {state} {token.expires_at[:10]}"
        f"  dernier usage : {used}"
    )


def shown_prefix(token: ApiToken) -> str:
    """The token's first characters, or a dash for tokens made before they were kept."""
    return f"{token.prefix}…" if token.prefix else "—"
