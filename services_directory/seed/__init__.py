"""
The demo seed: three real territories and their real communes, with fictional entries.

`demo.json` is labelled as demo data (its `notice`, and "(démo)" in every description).
"""

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from ..models import Commune, Contact, NewService, Territory
from ..storage import Storage

DEMO_FILE = Path(__file__).with_name("demo.json")
# Seed ids derive from territory and name, so links to demo entries survive a re-seed.
_ID_NAMESPACE = uuid.UUID("9a4b8f3e-5c1d-4f7a-9e2b-15138d23c048")


def read_seed(path: Path = DEMO_FILE) -> dict[str, Any]:
    """The seed file, parsed."""
    return json.loads(path.read_text(encoding="utf-8"))


async def load_seed(storage: Storage, path: Path = DEMO_FILE) -> bool:
    """
    Load a seed file into an empty directory, all or nothing.

    Args:
        storage: an open storage.
        path: the seed file (the demo one by default).

    Returns:
        True if loaded, False if the directory already had a territory (nothing done).
    """
    if await storage.list_territories():
        return False
    data = read_seed(path)
    async with storage.batch():
        for item in data["territories"]:
            slug = item["slug"]
            contact = Contact(**item["welcome_contact"])
            await storage.put_territory(Territory(slug, item["name"], item["department"], contact))
            await storage.put_communes(slug, [Commune(**commune) for commune in item["communes"]])
            for entry in item["services"]:
                fields = dict(entry)
                verified_on = fields.pop("verified_on", None)
                await storage.add_service(
                    NewService(
                        territory=slug,
                        id=str(uuid.uuid5(_ID_NAMESPACE, f"{slug}/{entry['name']}")),
                        verified_on=date.fromisoformat(verified_on) if verified_on else None,
                        **fields,
                    ),
                    by="seed",
                )
    return True
