"""
The one client the actions use to read the services directory.

The directory's JSON API is described in docs/architecture.md. Every failure to reach it is
raised as `DirectoryUnavailable`, so that an action can apologise instead of going silent.
Territories and their communes are kept at hand: read again after a minute, and the last copy
is used while the directory is down, so the welcome contact can always be given.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import quote

import aiohttp

DEFAULT_URL = "http://127.0.0.1:8080"
FRESH_FOR_S = 60.0  # agents edit territories and communes; the assistant sees it within a minute


class DirectoryUnavailable(Exception):
    """The directory did not answer, or answered with a server error."""


@dataclass(frozen=True)
class Contact:
    name: str
    email: Optional[str] = None
    phone: Optional[str] = None


@dataclass(frozen=True)
class Territory:
    slug: str
    name: str
    contact: Contact


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcode: Optional[str] = None
    former_names: tuple[str, ...] = ()  # of communes merged into this one, when known


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    topic: str
    kind: Optional[str]
    commune_name: Optional[str]
    distance_km: Optional[float] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    website: Optional[str] = None
    verified_on: Optional[str] = None
    # What follow-ups ask about ("c'est ouvert le mercredi ?", "c'est combien ?").
    description: str = ""
    address: Optional[str] = None
    opening_hours: Optional[str] = None  # OpenStreetMap opening_hours syntax
    fees: Optional[str] = None  # "gratuit" or "payant"
    fees_details: Optional[str] = None


@dataclass(frozen=True)
class SearchPage:
    items: list[Service]
    total: int
    page: int = 1


@dataclass
class DirectoryClient:
    """
    Typed, async access to the directory API.

    Args:
        base_url: where the directory service answers, e.g. ``http://127.0.0.1:8080``.
        public_url: the address newcomers' browsers use for links ("voir tout").
        timeout_s: total time allowed for one request; Rasa must never wait on us.
    """

    base_url: str = DEFAULT_URL
    public_url: str = DEFAULT_URL
    assistant_token: Optional[str] = None
    timeout_s: float = 3.0
    _session: Optional[aiohttp.ClientSession] = field(default=None, repr=False)
    _kept: dict[str, tuple[float, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_env(cls) -> DirectoryClient:
        base_url = os.environ.get("DIRECTORY_URL", DEFAULT_URL).rstrip("/")
        public_url = os.environ.get("DIRECTORY_PUBLIC_URL", base_url).rstrip("/")
        token = os.environ.get("DIRECTORY_ASSISTANT_TOKEN") or None
        return cls(base_url=base_url, public_url=public_url, assistant_token=token)

    async def territory(self, slug: str) -> Optional[Territory]:
        """The territory with this slug, or None when the directory does not know it."""
        data = await self._kept_get(f"/api/v1/territories/{slug}")
        return _territory(data) if data else None

    async def territories(self) -> list[Territory]:
        data = await self._get("/api/v1/territories", params={"per_page": "100"})
        return [_territory(item) for item in data["items"]]

    async def communes(self, slug: str) -> list[Commune]:
        """The territory's communes (none when the directory does not know the territory)."""
        data = await self._kept_get(f"/api/v1/territories/{slug}/communes")
        return [
            Commune(
                insee=c["insee"],
                name=c["name"],
                postcode=c.get("postcode"),
                former_names=tuple(c.get("former_names") or ()),
            )
            for c in (data or {}).get("items", [])
        ]

    async def search(
        self,
        topic: str,
        territory: Optional[str] = None,
        kind: Optional[str] = None,
        near: Optional[str] = None,
        per_page: int = 3,
        q: Optional[str] = None,
        prefer_kind: Optional[str] = None,
        page: int = 1,
    ) -> SearchPage:
        """
        Published entries of a topic, nearest first when `near` (an INSEE code) is given.

        `kind` keeps that kind only; `prefer_kind` puts it first, then the topic's others.
        `page` (from 1) gives the next entries of the same search ("d'autres ?").
        """
        params = {"topic": topic, "per_page": str(per_page)}
        if page > 1:
            params["page"] = str(page)
        named = {"territory": territory, "kind": kind, "near": near, "q": q,
                 "prefer_kind": prefer_kind}
        params.update((name, value) for name, value in named.items() if value)
        data = await self._get("/api/v1/services", params=params)
        items = [_service(item) for item in data["items"]]
        return SearchPage(items=items, total=data["total"], page=data.get("page", page))

    async def service(self, service_id: str) -> Optional[Service]:
        """One entry, or None when the directory no longer has it."""
        data = await self._get(f"/api/v1/services/{quote(service_id, safe='')}", allow_404=True)
        return _service(data) if data else None

    async def add_lead(
        self,
        territory: str,
        name: str,
        question: str,
        email: Optional[str] = None,
        phone: Optional[str] = None,
    ) -> str:
        """Leave a call-back request for the territory's agents; returns its id."""
        body = {"territory": territory, "name": name, "email": email, "phone": phone,
                "question": question, "consent": True}
        headers = {"Authorization": f"Bearer {self.assistant_token or ''}"}
        try:
            async with self._http().post(
                self.base_url + "/api/v1/leads", json=body, headers=headers
            ) as response:
                if response.status != 201:
                    raise DirectoryUnavailable(f"POST /api/v1/leads: HTTP {response.status}")
                return (await response.json())["id"]
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DirectoryUnavailable(f"POST /api/v1/leads: {error!r}") from error

    def services_page_url(self, territory: str, topic: str) -> str:
        return f"{self.public_url}/t/{territory}/services?topic={topic}"

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        # Created lazily so that the session belongs to the running event loop.
        if self._session is None or self._session.closed:
            # The assistant's secret on every call: its reads, one per newcomer's question,
            # are then not counted against this machine's address by the directory.
            token = self.assistant_token
            auth = {"Authorization": f"Bearer {token}"} if token else {}
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self.timeout_s), headers=auth
            )
        return self._session

    async def _kept_get(self, path: str) -> Any:
        """
        GET a territory's resource, kept at hand.

        Fresh for a minute, then the last copy while the directory is down. Only found
        resources are kept, so unknown slugs cannot fill the memory.
        """
        kept = self._kept.get(path)
        if kept and time.monotonic() - kept[0] < FRESH_FOR_S:
            return kept[1]
        try:
            data = await self._get(path, allow_404=True)
        except DirectoryUnavailable:
            if kept:
                return kept[1]
            raise
        if data is not None:
            self._kept[path] = (time.monotonic(), data)
        return data

    async def _get(
        self, path: str, params: Optional[dict[str, str]] = None, allow_404: bool = False
    ) -> Any:
        try:
            async with self._http().get(self.base_url + path, params=params) as response:
                if response.status == 404 and allow_404:
                    return None
                if response.status >= 400:
                    raise DirectoryUnavailable(f"GET {path}: HTTP {response.status}")
                return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DirectoryUnavailable(f"GET {path}: {error!r}") from error


def _territory(data: dict[str, Any]) -> Territory:
    contact = data.get("welcome_contact") or {}
    return Territory(
        slug=data["slug"],
        name=data["name"],
        contact=Contact(
            name=contact.get("name") or f"Service d'accueil — {data['name']}",
            email=contact.get("email"),
            phone=contact.get("phone"),
        ),
    )


def _service(data: dict[str, Any]) -> Service:
    return Service(
        id=data["id"],
        name=data["name"],
        topic=data["topic"],
        kind=data.get("kind"),
        commune_name=data.get("commune_name"),
        distance_km=data.get("distance_km"),
        phone=data.get("phone"),
        email=data.get("email"),
        website=data.get("website"),
        verified_on=data.get("verified_on"),
        description=data.get("description") or "",
        address=data.get("address"),
        opening_hours=data.get("opening_hours"),
        fees=data.get("fees"),
        fees_details=data.get("fees_details"),
    )


_client: Optional[DirectoryClient] = None


def directory() -> DirectoryClient:
    """The process-wide client, built from the environment on first use."""
    global _client
    if _client is None:
        _client = DirectoryClient.from_env()
    return _client


def use_directory(client: Any) -> None:
    """Replace the process-wide client (tests pass an in-memory fake)."""
    global _client
    _client = client
