r"""
Back-office commands: passwords from standard input, and disabling accounts.

A password is never an argument (other users of the machine could see it in `ps`):

    python -m services_directory users create --email a@b.fr --role agent \
        --territory hautes-terres --password-stdin < password.txt
    python -m services_directory users set-password --email a@b.fr < password.txt
    python -m services_directory users disable --email a@b.fr
"""

import argparse
import sys
from typing import TextIO

from ..errors import InvalidEntry
from ..storage import Storage
from .passwords import hash_password, password_problem


def add_password_commands(
    users: argparse._SubParsersAction,  # type: ignore[type-arg]
    create: argparse.ArgumentParser,
) -> None:
    """`users create --password-stdin`, `users set-password`, `users disable|enable`."""
    create.add_argument(
        "--password-stdin", action="store_true",
        help="read the back-office password from the first line of standard input",
    )  # fmt: skip
    create.set_defaults(run=create_user_with_password)
    setter = users.add_parser("set-password", help="set a back-office password (read from stdin)")
    setter.add_argument("--email", required=True)
    setter.set_defaults(run=set_password)
    for action, help_text in (("disable", "disable an account: its sessions and tokens end"),
                              ("enable", "enable a disabled account")):  # fmt: skip
        parser = users.add_parser(action, help=help_text)
        parser.add_argument("--email", required=True)
        parser.set_defaults(run=set_state, disabled=action == "disable")


def read_password(email: str, stdin: TextIO | None = None) -> str:
    """The first line of standard input, checked against the CNIL rules."""
    password = (stdin or sys.stdin).readline().rstrip("\r\n")
    if problem := password_problem(password, email):
        raise InvalidEntry("password", problem)
    return password


async def create_user_with_password(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`users create … [--password-stdin]`: the account, and its password when asked."""
    from ..cli import create_user

    password = read_password(args.email) if args.password_stdin else None
    status = await create_user(storage, args, out)
    if password is not None:
        user = await storage.get_user(args.email)
        await storage.set_password(user.id, hash_password(password))
        print("Mot de passe du back-office enregistré.", file=out)
    return status


async def set_password(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`users set-password --email` (password on stdin): the account's sessions end."""
    user = await storage.get_user(args.email)
    await storage.set_password(user.id, hash_password(read_password(user.email)))
    print(f"Mot de passe de {user.email} changé ; ses sessions ont été fermées.", file=out)
    return 0


async def set_state(storage: Storage, args: argparse.Namespace, out: TextIO) -> int:
    """`users disable|enable --email`."""
    user = await storage.get_user(args.email)
    await storage.set_disabled(user.id, args.disabled)
    state = "désactivé (sessions et jetons supprimés)" if args.disabled else "réactivé"
    print(f"Compte {user.email} {state}.", file=out)
    return 0
