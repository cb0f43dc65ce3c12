"""
Rasa's SQL tracker store on PostgreSQL, made to survive a database restart (scale mode).

Rasa 3.6 keeps pooled connections without checking them: after PostgreSQL restarts (or drops
connections), the next turn of each Rasa process fails on a dead connection, and that turn's
events are lost. Its engine also ignores `SQL_POOL_SIZE` and `SQL_MAX_OVERFLOW` when `login_db`
is set. Here the engine is rebuilt with Rasa's own settings and `pool_pre_ping`: each
connection is checked (`SELECT 1`) when taken from the pool and replaced if dead, so a restart
costs no turn once the database is back (tests/scale/test_faults.py).

`bot/endpoints.scale.yml` names this class as the tracker store's `type`; Rasa puts its working
folder on `sys.path`, so it imports as `bot.tracker_store`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs


class ReconnectingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` whose pooled connections are checked before use."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # creates the database and tables when missing
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
