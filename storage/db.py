"""Engine and schema: one function opens the database and brings it up to date."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from storage.lock import cycle_lock

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_WAIT = 900  # seconds a migration waits for a running cycle to end
log = logging.getLogger(__name__)


def open_database(url: str) -> Engine:
    """An engine on `url` whose schema is migrated to the newest revision.

    For SQLite the parent folder is created (so the default `data/channelwatch.db`
    appears on first run) and the connection waits on locks instead of failing,
    because the flow's threads write concurrently.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if _revision(engine) != _head():
        # Under the cycle lock, waiting for it: another process starting now may be
        # migrating, or a cycle of an older release running on the old schema.
        with cycle_lock(engine, wait=MIGRATION_WAIT):
            migrate(engine)
    return engine


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to `revision`, if it is not there (an upgrade is logged)."""
    before = _revision(engine)
    with engine.begin() as connection:
        config = _alembic()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    after = _revision(engine)
    if after != before:
        log.info(f"database schema upgraded from {before or 'empty'} to {after}")


def _alembic() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _head() -> str | None:
    return ScriptDirectory.from_config(_alembic()).get_current_head()


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
