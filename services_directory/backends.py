"""Choosing the storage backend from the settings: PostgreSQL when a URL is set, else SQLite."""

from .settings import Settings
from .storage import Storage


def storage_for(settings: Settings) -> Storage:
    """
    The storage the settings ask for, not yet opened.

    Args:
        settings: `database_url` (PostgreSQL) wins over `database` (SQLite file).
    """
    if settings.database_url:
        from .postgres import PostgresStorage  # asyncpg is only needed with PostgreSQL

        return PostgresStorage(settings.database_url)
    from .sqlite import SQLiteStorage

    return SQLiteStorage(settings.database)
