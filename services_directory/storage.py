"""
The storage interface: what the web layer, importers and command line may ask of the data.

`SQLiteStorage` (sqlite.py) and `PostgresStorage` (postgres.py) implement it, sharing their SQL
in sqlstore.py and its mixins. Implementations raise domain errors (errors.py), never HTTP ones.
Every write of an entry records its changed fields in the change log, with who made it.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

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
    async def find_by_source_id(self, source_id: str) -> Service | None:
        """The entry imported with this stable source id, if any."""

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
    async def add_token(self, user_id: int, token_hash: str) -> None:
        """Remember the hash of a new API token of an account."""

    @abstractmethod
    async def user_for_token(self, token_hash: str) -> User | None:
        """The enabled account holding the token with this hash, if any."""

    @abstractmethod
    async def add_lead(self, lead: NewLead) -> Lead:
        """Store a call-back request. Raises `InvalidEntry` for an unknown territory."""

    @abstractmethod
    async def list_leads(self, territory: str) -> list[Lead]:
        """A territory's call-back requests, newest first."""
