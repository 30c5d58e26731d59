"""Shared fixtures: hermetic settings, one Prefect harness per session, real databases."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before Prefect is imported anywhere: a private home, no analytics, results in a temp dir.
_PREFECT_HOME = tempfile.mkdtemp(prefix="channelwatch-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_RESULTS_LOCAL_STORAGE_PATH"] = str(Path(_PREFECT_HOME) / "results")
os.environ.pop("PREFECT_API_URL", None)
for _name in [n for n in os.environ if n.startswith("CHANNELWATCH_")]:
    del os.environ[_name]  # an operator's own settings must not leak into tests

import psycopg  # noqa: E402
import pytest  # noqa: E402

from channelwatch.config import load_config  # noqa: E402
from matching import Detector  # noqa: E402
from tests.servers import DATA, REPO_CONFIG, Site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PG_DSN = os.environ.get(
    "CHANNELWATCH_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test"
)


@pytest.fixture(scope="session")
def detector() -> Detector:
    """The detector on the repository's catalog (`sources.yaml`)."""
    return Detector(load_config(REPO_CONFIG).channels)


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """One Prefect API server for the whole session; yields its URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def site() -> Iterator[Site]:
    with Site(DATA / "site") as served:
        yield served


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder, as a user would: `data/` and `.env` are looked up here."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _postgres_available() -> bool:
    try:
        psycopg.connect(PG_DSN, connect_timeout=3).close()
        return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def postgres_server() -> str:
    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and is not reachable at {PG_DSN!r}")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    return PG_DSN


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the shared server, dropped afterwards."""
    name = f"cw_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    conninfo = psycopg.conninfo.conninfo_to_dict(postgres_server)
    yield f"postgresql+psycopg://{conninfo['user']}@{conninfo['host']}:{conninfo['port']}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'channelwatch.db'}"
    return str(request.getfixturevalue("postgres_url"))
