"""
Search benchmark: `python -m services_directory.bench` (or `make bench-directory`).

Generates 1 k, 10 k and 100 k entries deterministically (fixed seed) over 20 synthetic
territories of 40 communes, loads them into SQLite (a temporary file) and PostgreSQL (a
temporary schema of DIRECTORY_BENCH_POSTGRES_URL), then measures:
- p50/p95 latency of the typical assistant query (topic + territory + near, per_page 3) and
  of a free-text one, through the storage interface;
- requests per second of the typical query over HTTP (the real service in its own process,
  8 concurrent clients).
"""

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
from aiohttp import ClientSession

from .backends import storage_for
from .entries import NewService
from .models import Commune, Contact, Territory
from .search import SearchQuery
from .settings import Settings
from .sqlbase import insert
from .sqlservices import SERVICE_COLUMNS, _row
from .storage import Storage
from .vocabulary import KINDS

_SYLLABLES = (
    "ba be bi bo bu ca ce co cu da de di do du fa fe fi fo la le li lo lu ma me mi mo mu".split()
)
# 2 000 made-up words: text queries then hit a realistic share of entries, not half of them.
WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES})[::10][:2000]
SIZES = (1_000, 10_000, 100_000)


def territories(rng: random.Random) -> list[tuple[Territory, list[Commune]]]:
    """20 territories of 40 communes each, inside the Massif central's bounding box."""
    made = []
    contact = Contact("Accueil (banc d'essai)", "accueil@example.org", "04 65 71 00 00")
    for t in range(20):
        lat0, lon0 = 44.2 + (t % 5) * 0.5, 1.8 + (t // 5) * 0.7
        communes = [
            Commune(f"{90 + t // 10:02d}{t % 10}{c:02d}", f"Commune {t}-{c}", "99000",
                    round(lat0 + rng.random() * 0.4, 4), round(lon0 + rng.random() * 0.5, 4))
            for c in range(40)
        ]  # fmt: skip
        made.append((Territory(f"banc-{t:02d}", f"Banc d'essai {t}", "99", contact), communes))
    return made


async def load(storage: Storage, size: int, seed: int = 15138) -> list[tuple[str, str]]:
    """Fill an empty storage with `size` entries; returns (territory, commune) pairs to query."""
    rng = random.Random(seed)
    places = territories(rng)
    async with storage.batch():
        for territory, communes in places:
            await storage.put_territory(territory)
            await storage.put_communes(territory.slug, communes)
    rows = []
    for i in range(size):
        territory, communes = places[i % len(places)]
        commune = communes[rng.randrange(len(communes))]
        topic = rng.choice(list(KINDS))
        kind = rng.choice(list(KINDS[topic]))
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}"
        new = NewService(
            territory=territory.slug, topic=topic, kind=kind, name=name, commune=commune.insee,
            description=" ".join(rng.choices(WORDS, k=12)), status="published",
            id=str(uuid.UUID(int=rng.getrandbits(128))),
            lat=commune.lat, lon=commune.lon,
        )  # fmt: skip
        row = _row(new, commune) | {
            "created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00",
            "created_by": "bench", "updated_by": "bench",
        }  # fmt: skip
        rows.append(tuple(row[c] for c in SERVICE_COLUMNS))
    sql = insert("services", SERVICE_COLUMNS)
    async with storage.batch():
        for start in range(0, len(rows), 5000):
            await storage._run_many(sql, rows[start : start + 5000])  # type: ignore[attr-defined]
        terms = sorted({t for row in rows for t in str(row[-2]).split()})
        await storage._run_many(  # type: ignore[attr-defined]
            "INSERT INTO search_terms (term, length) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(t, len(t)) for t in terms],
        )
    # Statistics, as a live database has them (PostgreSQL's autovacuum would do it later).
    await storage._run("VACUUM ANALYZE" if storage.dialect == "postgres" else "ANALYZE")  # type: ignore[attr-defined]
    return [(t.slug, c.insee) for t, communes in places for c in communes]


async def latencies(call: Callable[[], Awaitable[object]], count: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds over `count` calls (after 20 warm-up calls)."""
    for _ in range(20):
        await call()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[94]


async def measure(storage: Storage, pairs: list[tuple[str, str]], count: int) -> dict[str, float]:
    """Latencies of the typical and the free-text query, through the storage interface."""
    rng = random.Random(48)

    def typical() -> Awaitable[object]:
        territory, insee = rng.choice(pairs)
        topic = rng.choice(list(KINDS))
        return storage.search(SearchQuery(topic=topic, territory=territory, near=insee, per_page=3))

    def text() -> Awaitable[object]:
        territory, insee = rng.choice(pairs)
        q = f"{rng.choice(WORDS)} {rng.choice(WORDS)[:-1]}"
        return storage.search(SearchQuery(q=q, territory=territory, near=insee, per_page=3))

    p50, p95 = await latencies(typical, count)
    t50, t95 = await latencies(text, count)
    return {"p50": p50, "p95": p95, "text_p50": t50, "text_p95": t95}


async def requests_per_second(
    environ: dict[str, str], pairs: list[tuple[str, str]], seconds: float
) -> float:
    """Typical queries over HTTP: the real service in its own process, 8 clients, bounded time."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **environ, "DIRECTORY_PORT": str(port), "DIRECTORY_SEED": "none"}
    # The benchmark measures the search, not the per-address read limit it would meet at once.
    env["DIRECTORY_API_READS_PER_MINUTE_PER_ADDRESS"] = "0"  # no limit
    server = subprocess.Popen(
        [sys.executable, "-m", "services_directory", "serve"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    done = 0
    rng = random.Random(63)
    try:
        async with ClientSession() as session:
            for _ in range(100):  # wait for the service, 10 s at most
                try:
                    async with session.get(base + "/healthz") as response:
                        if response.status == 200:
                            break
                except OSError:
                    await asyncio.sleep(0.1)
            deadline = time.perf_counter() + seconds

            async def client() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    territory, insee = rng.choice(pairs)
                    params = {"topic": "childcare", "territory": territory, "near": insee,
                              "per_page": "3"}  # fmt: skip
                    async with session.get(base + "/api/v1/services", params=params) as response:
                        await response.read()
                        done += 1

            start = time.perf_counter()
            await asyncio.gather(*(client() for _ in range(8)))
            return done / (time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(timeout=10)


async def run(sizes: tuple[int, ...], postgres_url: str | None, count: int, seconds: float) -> None:
    """Print one line per backend and size."""
    print(f"{'backend':<10} {'entries':>8} {'p50 ms':>8} {'p95 ms':>8} {'text p50':>9}"
          f" {'text p95':>9} {'req/s':>7} {'load s':>7}")  # fmt: skip
    for size in sizes:
        database = Path(tempfile.mkdtemp(prefix="bench-directory-")) / "bench.sqlite3"
        backends = [("sqlite", {"DIRECTORY_DATABASE": str(database), "DIRECTORY_DATABASE_URL": ""})]
        if postgres_url:
            backends.append(
                ("postgres", {"DIRECTORY_DATABASE_URL": await fresh_database(postgres_url)})
            )
        for name, environ in backends:
            storage = storage_for(Settings.from_env(environ))
            await storage.open()
            try:
                started = time.perf_counter()
                pairs = await load(storage, size)
                loaded = time.perf_counter() - started
                found = await measure(storage, pairs, count)
                rate = await requests_per_second(environ, pairs, seconds)
                print(f"{name:<10} {size:>8} {found['p50']:>8.2f} {found['p95']:>8.2f}"
                      f" {found['text_p50']:>9.2f} {found['text_p95']:>9.2f} {rate:>7.0f}"
                      f" {loaded:>7.1f}", flush=True)  # fmt: skip
            finally:
                await storage.close()
                if name == "postgres" and postgres_url:
                    await drop_database(postgres_url, environ["DIRECTORY_DATABASE_URL"])


async def fresh_database(url: str) -> str:
    """Create an empty database beside the one of `url`; returns its URL."""
    name = f"bench_directory_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"CREATE DATABASE {name}")
    finally:
        await connection.close()
    return url.rsplit("/", 1)[0] + "/" + name


async def drop_database(url: str, database_url: str) -> None:
    """Drop a database made by `fresh_database`."""
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {database_url.rsplit('/', 1)[1]}")
    finally:
        await connection.close()


def main() -> None:
    """Parse arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--queries", type=int, default=500, help="timed queries per measure")
    parser.add_argument("--seconds", type=float, default=3.0, help="HTTP load per size")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    url = os.environ.get(
        "DIRECTORY_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
    )
    sizes = tuple(int(size) for size in args.sizes.split(","))
    asyncio.run(run(sizes, None if args.no_postgres else url, args.queries, args.seconds))


if __name__ == "__main__":
    main()
