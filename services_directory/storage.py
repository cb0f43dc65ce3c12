"""
The storage interface: what the web layer, importers and command line may ask of the data.

`SQLiteStorage` (sqlite.py) and `PostgresStorage` (postgres.py) implement it, sharing their SQL
in sqlstore.py and its mixins. Implementations raise domain errors (errors.py), never HTTP ones.
Every write of an entry records its changed fields in the change log, with who made it.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

from .backoffice.records import Account, ApiToken, AuthEvent, Login, WebSession
from .entries import Change, NewService, Service
from .models import Commune, Lead, NewLead, Organisation, Page, Territory, User
from .search import SearchQuery


class Storage(ABC):
    """Territories, communes, organisations, entries and their history, accounts, leads."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and bring the schema to the latest version."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def batch(self) -> AbstractAsyncContextManager[None]:
        """Group writes: all of them are kept, or none (`async with storage.batch(): ...`)."""

    # Territories and communes

    @abstractmethod
    async def count_services(self, status: str = "published") -> int:
        """Number of entries with this status."""

    @abstractmethod
    async def list_territories(self) -> list[Territory]:
        """Every territory, by name."""

    @abstractmethod
    async def get_territory(self, slug: str) -> Territory:
        """One territory. Raises `NotFound`."""

    @abstractmethod
    async def list_communes(self, territory: str) -> list[Commune]:
        """A territory's communes, by name. Raises `NotFound` for an unknown territory."""

    @abstractmethod
    async def get_commune(self, insee: str) -> Commune:
        """One commune. Raises `NotFound`."""

    @abstractmethod
    async def put_territory(self, territory: Territory) -> None:
        """Add or update a territory."""

    @abstractmethod
    async def put_communes(self, territory: str | None, communes: Iterable[Commune]) -> None:
        """Add or update communes, attached to a territory unless it is None. Raises `NotFound`."""

    @abstractmethod
    async def commune_territories(self) -> dict[str, list[str]]:
        """INSEE code -> the territories holding that commune, by slug (for importers)."""

    @abstractmethod
    async def communes_by_postcode(self) -> dict[tuple[str, str], str]:
        """(postcode, folded name) -> INSEE code, for files that lack the code."""

    # Entries

    @abstractmethod
    async def search(self, query: SearchQuery) -> Page:
        """One page of matching entries. Raises `InvalidQuery` (e.g. unknown `near` commune)."""

    @abstractmethod
    async def get_service(self, service_id: str, published_only: bool = True) -> Service:
        """One entry. Raises `NotFound` (also for unpublished ones when `published_only`)."""

    @abstractmethod
    async def find_by_source_id(self, source_id: str, territory: str) -> Service | None:
        """The territory's entry with this stable source id, if any (unique per territory)."""

    @abstractmethod
    async def add_service(self, new: NewService, by: str = "system") -> Service:
        """Add an entry. Raises `InvalidEntry` (e.g. a commune outside the territory)."""

    @abstractmethod
    async def update_service(self, new: NewService, by: str = "system") -> Service:
        """Replace the fields of entry `new.id`, logging each change. Raises `NotFound`."""

    @abstractmethod
    async def service_history(self, service_id: str) -> list[Change]:
        """The change log of an entry, oldest first."""

    @abstractmethod
    async def list_services(self, territory: str | None = None) -> list[Service]:
        """Every entry, whatever its status (for exports), by territory then name."""

    # Organisations

    @abstractmethod
    async def add_organisation(self, organisation: Organisation) -> Organisation:
        """Add an organisation. Raises `InvalidEntry` for an unknown territory."""

    @abstractmethod
    async def list_organisations(self, territory: str) -> list[Organisation]:
        """A territory's organisations, by name."""

    # Accounts and leads

    @abstractmethod
    async def create_user(self, email: str, role: str, territories: Iterable[str]) -> User:
        """Add an account. Raises `Conflict` (e-mail taken) or `InvalidEntry`."""

    @abstractmethod
    async def get_user(self, email: str) -> User:
        """One account by e-mail. Raises `NotFound`."""

    @abstractmethod
    async def add_token(
        self, user_id: int, token_hash: str, expires_at: str | None = None, prefix: str = ""
    ) -> int:
        """Remember the hash of a new API token (default lifetime: 90 days); returns its id."""

    @abstractmethod
    async def user_for_token(self, token_hash: str) -> User | None:
        """The enabled account holding this unexpired token, if any (use noted once a minute)."""

    @abstractmethod
    async def list_tokens(self, email: str | None = None) -> list[ApiToken]:
        """Every API token (of one account when `email` is given), expired ones included."""

    @abstractmethod
    async def revoke_token(self, token_id: int, email: str | None = None) -> ApiToken:
        """Delete a token (of that account when `email` is given). Raises `NotFound`."""

    @abstractmethod
    async def add_lead(self, lead: NewLead) -> Lead:
        """Store a call-back request. Raises `InvalidEntry` for an unknown territory."""

    @abstractmethod
    async def list_leads(self, territory: str) -> list[Lead]:
        """A territory's call-back requests, newest first."""

    # Back-office: passwords, web sessions, sign-in attempts, security log (sqlbackoffice.py)

    @abstractmethod
    async def get_login(self, email: str) -> Login | None:
        """An account with its password hash and state, by e-mail (disabled ones too)."""

    @abstractmethod
    async def set_password(self, user_id: int, password_hash: str) -> None:
        """Store a new password hash; the account's web sessions end."""

    @abstractmethod
    async def set_disabled(self, user_id: int, disabled: bool) -> None:
        """Disable (ending its web sessions and API tokens) or enable an account."""

    @abstractmethod
    async def list_accounts(self) -> list[Account]:
        """Every account, by e-mail."""

    @abstractmethod
    async def add_session(self, session: WebSession) -> None:
        """Remember a new web session."""

    @abstractmethod
    async def get_session(self, id_hash: str) -> tuple[WebSession, User] | None:
        """A web session and its account, unless unknown or the account is disabled."""

    @abstractmethod
    async def touch_session(self, id_hash: str, stamp: str) -> None:
        """Record activity on a web session."""

    @abstractmethod
    async def delete_session(self, id_hash: str) -> None:
        """End a web session."""

    @abstractmethod
    async def add_login_attempt(self, email: str, ip: str, success: bool) -> None:
        """Record a sign-in attempt (for rate limiting)."""

    @abstractmethod
    async def count_login_failures(self, since: str, email: str | None, ip: str | None) -> int:
        """Failed sign-ins since a time, for an e-mail (when given) or else an address."""

    @abstractmethod
    async def begin_login_attempt(
        self, email: str, ip: str, since: str, limits: tuple[int, int]
    ) -> int | None:
        """
        Count a password attempt before it is checked, atomically (backoffice/throttle.py).

        Args:
            email: the account tried.
            ip: the client's address.
            since: the start of the window (ISO 8601, UTC).
            limits: (failures per account, failures per address) allowed in the window.

        Returns:
            The attempt's id, recorded as a failure until `login_attempt_succeeded`; None when
            the account or the address already has its limit of failures (nothing recorded).
        """

    @abstractmethod
    async def login_attempt_succeeded(self, attempt_id: int) -> None:
        """Mark an attempt of `begin_login_attempt` as a right password (no longer a failure)."""

    @abstractmethod
    async def purge_login_locks(self, before: str) -> None:
        """Delete the throttle's lock rows last used before a time."""

    @abstractmethod
    async def add_auth_event(self, event: AuthEvent) -> None:
        """Append a line to the security log."""

    @abstractmethod
    async def list_auth_events(self, limit: int = 200) -> list[AuthEvent]:
        """The security log, newest first."""

    @abstractmethod
    async def purge_backoffice(self, stamp: str, idle_since: str, logs_before: str) -> None:
        """Delete expired or idle sessions, and attempts and log lines older than a time."""

    @abstractmethod
    async def set_lead_status(self, territory: str, lead_id: str, status: str) -> Lead:
        """Change a call-back request's status. Raises `NotFound` (also for another territory)."""

    @abstractmethod
    async def purge_leads(self, created_before: str) -> int:
        """Delete call-back requests created before a time; returns how many."""

    @abstractmethod
    async def update_service_checked(self, new: NewService, by: str, version: str) -> Service:
        """`update_service` unless the entry changed since `version` (raises `EditConflict`)."""
