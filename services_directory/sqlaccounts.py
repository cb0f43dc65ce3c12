"""Organisations, accounts with their territories, API tokens, sign-in attempts and leads."""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from .backoffice.records import ApiToken
from .errors import Conflict, InvalidEntry, NotFound
from .models import Lead, NewLead, Organisation, User
from .sqlbase import Row, SQLBase, insert, now
from .text import fold
from .vocabulary import ROLES

DEFAULT_TOKEN_DAYS = 90  # an API token's lifetime unless chosen at creation
LAST_USE_EVERY = timedelta(minutes=1)
_ORGANISATION_COLUMNS = (
    "id", "territory", "name", "siret", "website", "phone", "email", "description",
)  # fmt: skip
_LEAD_COLUMNS = (
    "id", "territory", "name", "email", "phone", "question", "status", "consent_at", "created_at",
)  # fmt: skip


def later(delta: timedelta) -> str:
    """The UTC time `delta` from now, as timestamps are stored (negative: earlier)."""
    return (datetime.now(timezone.utc) + delta).isoformat(timespec="seconds")


class AccountsMixin(SQLBase):
    """Organisations, users, tokens and leads, shared by both backends."""

    async def _known_territory(self, slug: str) -> None:
        row = await self._one("SELECT slug FROM territories WHERE slug = ?", slug)
        if row is None:
            raise InvalidEntry("territory", f"Territoire inconnu : « {slug} ».")

    async def add_organisation(self, organisation: Organisation) -> Organisation:
        async with self.transaction():
            await self._known_territory(organisation.territory)
            organisation = Organisation(
                **{**organisation.to_dict(), "id": organisation.id or str(uuid.uuid4())}
            )
            stamp = now()
            values = [getattr(organisation, column) for column in _ORGANISATION_COLUMNS]
            await self._run(
                insert("organisations", (*_ORGANISATION_COLUMNS, "created_at", "updated_at")),
                *values, stamp, stamp,
            )  # fmt: skip
        return organisation

    async def list_organisations(self, territory: str) -> list[Organisation]:
        columns = ", ".join(_ORGANISATION_COLUMNS)
        rows = await self._all(
            f"SELECT {columns} FROM organisations WHERE territory = ?", territory
        )
        found = [Organisation(**{c: row[c] for c in _ORGANISATION_COLUMNS}) for row in rows]
        return sorted(found, key=lambda o: fold(o.name))

    async def create_user(self, email: str, role: str, territories: Iterable[str]) -> User:
        territories = tuple(dict.fromkeys(territories))
        if role not in ROLES:
            raise InvalidEntry("role", f"Rôle inconnu : « {role} » (attendu : gip ou agent).")
        if role == "agent" and not territories:
            raise InvalidEntry("territory", "Un agent appartient à au moins un territoire.")
        email = email.strip().lower()
        async with self.transaction():
            if await self._one("SELECT id FROM users WHERE email = ?", email):
                raise Conflict(f"Un compte existe déjà pour « {email} ».")
            for slug in territories:
                await self._known_territory(slug)
            row = await self._one(
                "INSERT INTO users (email, role, disabled, created_at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                email, role, False, now(),
            )  # fmt: skip
            assert row is not None
            await self._run_many(
                "INSERT INTO user_territories (user_id, territory) VALUES (?, ?)",
                [(row["id"], slug) for slug in territories],
            )
        return User(int(row["id"]), email, role, territories)

    async def get_user(self, email: str) -> User:
        row = await self._one(
            "SELECT id, email, role FROM users WHERE email = ?", email.strip().lower()
        )
        if row is None:
            raise NotFound(f"Compte inconnu : « {email} ».")
        return await self._user(row)

    async def _user(self, row: Row) -> User:
        rows = await self._all(
            "SELECT territory FROM user_territories WHERE user_id = ? ORDER BY territory",
            row["id"],
        )
        territories = tuple(r["territory"] for r in rows)
        return User(int(row["id"]), row["email"], row["role"], territories)

    async def add_token(
        self, user_id: int, token_hash: str, expires_at: str | None = None, prefix: str = ""
    ) -> int:
        expires_at = expires_at or later(timedelta(days=DEFAULT_TOKEN_DAYS))
        async with self.transaction():
            row = await self._one(
                "INSERT INTO api_tokens (token_hash, user_id, prefix, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?) RETURNING id",
                token_hash, user_id, prefix, now(), expires_at,
            )  # fmt: skip
        assert row is not None
        return int(row["id"])

    async def user_for_token(self, token_hash: str) -> User | None:
        stamp = now()
        row = await self._one(
            "SELECT u.id, u.email, u.role, t.id AS token_id, t.last_used_at"
            " FROM api_tokens t JOIN users u ON u.id = t.user_id"
            " WHERE t.token_hash = ? AND u.disabled = ? AND t.expires_at > ?",
            token_hash, False, stamp,
        )  # fmt: skip
        if row is None:
            return None
        # The last use is written at most once a minute per token: reads stay reads.
        a_minute_ago = later(-LAST_USE_EVERY)
        if row["last_used_at"] is None or row["last_used_at"] < a_minute_ago:
            await self._run(
                "UPDATE api_tokens SET last_used_at = ?"
                " WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                stamp, row["token_id"], a_minute_ago,
            )  # fmt: skip
        return await self._user(row)

    async def list_tokens(self, email: str | None = None) -> list[ApiToken]:
        where, params = ("WHERE u.email = ?", [email.strip().lower()]) if email else ("", [])
        rows = await self._all(
            "SELECT t.id, t.prefix, t.created_at, t.expires_at, t.last_used_at,"
            " u.id AS user_id, u.email, u.role"
            f" FROM api_tokens t JOIN users u ON u.id = t.user_id {where}"
            " ORDER BY u.email, t.created_at, t.id",
            *params,
        )  # fmt: skip
        found = []
        for row in rows:
            owner = await self._user({"id": row["user_id"], "email": row["email"],
                                      "role": row["role"]})  # fmt: skip
            found.append(ApiToken(int(row["id"]), row["prefix"], owner, row["created_at"],
                                  row["expires_at"], row["last_used_at"]))  # fmt: skip
        return found

    async def revoke_token(self, token_id: int, email: str | None = None) -> ApiToken:
        async with self.transaction():
            matching = [t for t in await self.list_tokens(email) if t.id == token_id]
            if not matching:
                raise NotFound(f"Jeton d'API inconnu : n° {token_id}.")
            await self._run("DELETE FROM api_tokens WHERE id = ?", token_id)
        return matching[0]

    async def begin_login_attempt(
        self, email: str, ip: str, since: str, limits: tuple[int, int]
    ) -> int | None:
        max_account, max_address = limits
        stamp = now()
        async with self.transaction():
            # Lock the address's, then the account's counter row (always in this order: no
            # deadlock): concurrent attempts count one after another, so the failures counted
            # include every attempt still being checked (recorded as failures). A throttled
            # address stops before its guessed e-mail gets a row.
            if not await self._under_limit(f"address:{ip}", "ip", ip, since, max_address):
                return None
            if not await self._under_limit(f"account:{email}", "email", email, since, max_account):
                return None
            row = await self._one(
                "INSERT INTO login_attempts (email, ip, success, at) VALUES (?, ?, ?, ?)"
                " RETURNING id",
                email, ip, False, stamp,
            )  # fmt: skip
        assert row is not None
        return int(row["id"])

    async def _under_limit(self, key: str, column: str, value: str, since: str, limit: int) -> bool:
        """Lock the counter `key` (until the transaction ends), then compare its failures."""
        await self._run(
            "INSERT INTO login_locks (key, at) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET at = excluded.at",
            key, now(),
        )  # fmt: skip
        row = await self._one(
            f"SELECT COUNT(*) AS n FROM login_attempts WHERE {column} = ? AND at >= ?"
            " AND success = ?",
            value, since, False,
        )  # fmt: skip
        return row is not None and int(row["n"]) < limit

    async def login_attempt_succeeded(self, attempt_id: int) -> None:
        await self._run("UPDATE login_attempts SET success = ? WHERE id = ?", True, attempt_id)

    async def purge_login_locks(self, before: str) -> None:
        # A lock row only matters while a transaction holds it: old ones are clutter.
        await self._run("DELETE FROM login_locks WHERE at < ?", before)

    async def add_lead(self, lead: NewLead) -> Lead:
        stamp = now()
        found = Lead(
            id=str(uuid.uuid4()), territory=lead.territory, name=lead.name, email=lead.email,
            phone=lead.phone, question=lead.question, status="new", consent_at=stamp,
            created_at=stamp,
        )  # fmt: skip
        async with self.transaction():
            await self._known_territory(lead.territory)
            values = [getattr(found, column) for column in _LEAD_COLUMNS]
            await self._run(insert("leads", _LEAD_COLUMNS), *values)
        return found

    async def list_leads(self, territory: str) -> list[Lead]:
        rows = await self._all(
            f"SELECT {', '.join(_LEAD_COLUMNS)} FROM leads WHERE territory = ?"
            " ORDER BY created_at DESC, id",
            territory,
        )
        return [Lead(**{c: row[c] for c in _LEAD_COLUMNS}) for row in rows]
