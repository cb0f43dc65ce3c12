"""The back-office's SQL, shared by both backends: passwords, web sessions, attempts, log."""

from .backoffice.records import Account, AuthEvent, EditConflict, Login, WebSession
from .entries import NewService, Service, entry_version
from .errors import NotFound
from .models import Lead, User
from .sqlbase import SQLBase, insert, now

_SESSION_COLUMNS = (
    "id_hash", "user_id", "csrf_token", "created_at", "last_seen_at", "expires_at", "ip",
)  # fmt: skip
_EVENT_COLUMNS = ("at", "event", "email", "ip", "path", "detail")


class BackofficeMixin(SQLBase):
    """Accounts' passwords and state, sessions, sign-in attempts, the security log, leads."""

    async def get_login(self, email: str) -> Login | None:
        row = await self._one(
            "SELECT id, email, role, password_hash, disabled FROM users WHERE email = ?",
            email.strip().lower(),
        )
        if row is None:
            return None
        user = await self._user(row)  # type: ignore[attr-defined]
        return Login(user, row["password_hash"], bool(row["disabled"]))

    async def set_password(self, user_id: int, password_hash: str) -> None:
        async with self.transaction():
            await self._run(
                "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                password_hash, now(), user_id,
            )  # fmt: skip
            await self._run("DELETE FROM web_sessions WHERE user_id = ?", user_id)

    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        async with self.transaction():
            await self._run("UPDATE users SET disabled = ? WHERE id = ?", disabled, user_id)
            if disabled:
                await self._run("DELETE FROM web_sessions WHERE user_id = ?", user_id)
                await self._run("DELETE FROM api_tokens WHERE user_id = ?", user_id)

    async def list_accounts(self) -> list[Account]:
        rows = await self._all(
            "SELECT id, email, role, disabled, password_hash, created_at FROM users ORDER BY email"
        )
        return [
            Account(await self._user(row), bool(row["disabled"]),  # type: ignore[attr-defined]
                    row["password_hash"] is not None, row["created_at"])
            for row in rows
        ]  # fmt: skip

    async def add_session(self, session: WebSession) -> None:
        async with self.transaction():
            values = [getattr(session, column) for column in _SESSION_COLUMNS]
            await self._run(insert("web_sessions", _SESSION_COLUMNS), *values)

    async def get_session(self, id_hash: str) -> tuple[WebSession, User] | None:
        row = await self._one(
            f"SELECT {', '.join('s.' + c for c in _SESSION_COLUMNS)}, u.email, u.role"
            " FROM web_sessions s JOIN users u ON u.id = s.user_id"
            " WHERE s.id_hash = ? AND u.disabled = ?",
            id_hash, False,
        )  # fmt: skip
        if row is None:
            return None
        session = WebSession(**{column: row[column] for column in _SESSION_COLUMNS})
        account = {"id": row["user_id"], "email": row["email"], "role": row["role"]}
        user = await self._user(account)  # type: ignore[attr-defined]
        return session, user

    async def touch_session(self, id_hash: str, stamp: str) -> None:
        await self._run(
            "UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?", stamp, id_hash
        )

    async def delete_session(self, id_hash: str) -> None:
        await self._run("DELETE FROM web_sessions WHERE id_hash = ?", id_hash)

    async def add_login_attempt(self, email: str, ip: str, success: bool) -> None:
        await self._run(
            "INSERT INTO login_attempts (email, ip, success, at) VALUES (?, ?, ?, ?)",
            email, ip, success, now(),
        )  # fmt: skip

    async def count_login_failures(self, since: str, email: str | None, ip: str | None) -> int:
        column, value = ("email", email) if email is not None else ("ip", ip)
        row = await self._one(
            f"SELECT COUNT(*) AS n FROM login_attempts WHERE {column} = ? AND at >= ?"
            " AND success = ?",
            value, since, False,
        )  # fmt: skip
        return int(row["n"]) if row else 0

    async def add_auth_event(self, event: AuthEvent) -> None:
        values = [getattr(event, column) for column in _EVENT_COLUMNS]
        await self._run(insert("auth_events", _EVENT_COLUMNS), *values)

    async def list_auth_events(self, limit: int = 200) -> list[AuthEvent]:
        rows = await self._all(
            f"SELECT {', '.join(_EVENT_COLUMNS)} FROM auth_events ORDER BY id DESC LIMIT ?", limit
        )
        return [AuthEvent(**{column: row[column] for column in _EVENT_COLUMNS}) for row in rows]

    async def purge_backoffice(self, stamp: str, idle_since: str, logs_before: str) -> None:
        async with self.transaction():
            await self._run(
                "DELETE FROM web_sessions WHERE expires_at < ? OR last_seen_at < ?",
                stamp, idle_since,
            )  # fmt: skip
            await self._run("DELETE FROM login_attempts WHERE at < ?", logs_before)
            await self._run("DELETE FROM auth_events WHERE at < ?", logs_before)

    async def set_lead_status(self, territory: str, lead_id: str, status: str) -> Lead:
        async with self.transaction():
            row = await self._one(
                "SELECT id FROM leads WHERE id = ? AND territory = ?", lead_id, territory
            )
            if row is None:
                raise NotFound(f"Demande inconnue : « {lead_id} ».")
            await self._run("UPDATE leads SET status = ? WHERE id = ?", status, lead_id)
        leads = await self.list_leads(territory)  # type: ignore[attr-defined]
        return next(lead for lead in leads if lead.id == lead_id)

    async def purge_leads(self, created_before: str) -> int:
        async with self.transaction():
            row = await self._one(
                "SELECT COUNT(*) AS n FROM leads WHERE created_at < ?", created_before
            )
            await self._run("DELETE FROM leads WHERE created_at < ?", created_before)
        return int(row["n"]) if row else 0

    async def update_service_checked(self, new: NewService, by: str, version: str) -> Service:
        async with self.transaction():
            # Touch the row first: PostgreSQL then holds its lock until the end (SQLite's
            # writes are already one at a time), so two saves cannot both pass the check.
            await self._run("UPDATE services SET id = id WHERE id = ?", new.id)
            current = await self.get_service(new.id or "", published_only=False)  # type: ignore[attr-defined]
            if entry_version(current) != version:
                raise EditConflict(current)
            return await self.update_service(new, by=by)  # type: ignore[attr-defined,no-any-return]
