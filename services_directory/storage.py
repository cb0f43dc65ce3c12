"""
The storage interface: what the web layer may ask of the directory's data.

`SQLiteStorage` (sqlite.py) implements it; a PostgreSQL twin can follow the same contract.
Implementations raise domain errors (errors.py), never HTTP ones.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager

from .models import Commune, NewService, Page, Service, Territory
from .search import SearchQuery


class Storage(ABC):
    """Territories, communes and directory entries."""

    @abstractmethod
    async def open(self) -> None:
        """Connect and bring the schema to the latest version."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def batch(self) -> AbstractAsyncContextManager[None]:
        """Group writes: all of them are kept, or none (`async with storage.batch(): ...`)."""

    # Reads

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
    async def search(self, query: SearchQuery) -> Page:
        """One page of matching entries. Raises `InvalidQuery` (e.g. unknown `near` commune)."""

    @abstractmethod
    async def get_service(self, service_id: str, published_only: bool = True) -> Service:
        """One entry. Raises `NotFound` (also for unpublished ones when `published_only`)."""

    # Writes

    @abstractmethod
    async def put_territory(self, territory: Territory) -> None:
        """Add or update a territory."""

    @abstractmethod
    async def put_communes(self, territory: str, communes: Iterable[Commune]) -> None:
        """Add or update communes and attach them to a territory. Raises `NotFound`."""

    @abstractmethod
    async def add_service(self, new: NewService) -> Service:
        """Add an entry. Raises `InvalidEntry` (e.g. a commune outside the territory)."""
