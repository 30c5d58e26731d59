"""The shape of the project: layering, pins that keep Prefect importable, compose wiring."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
STAGES = ["channelwatch", "feeds", "matching", "storage", "alerts"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_flows_import_prefect() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for stage in STAGES
        for path in (REPO / stage).rglob("*.py")
        if "prefect" in imported_modules(path)
    ]
    assert offenders == []


def test_stages_load_without_prefect() -> None:
    code = "import sys, channelwatch.cli, feeds, matching, storage, alerts; print('prefect' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "False"


def test_prefect_server_imports_with_the_pinned_fastapi() -> None:
    """Prefect 3.8.8's server breaks on FastAPI >= 0.155; the lock must keep it importable."""
    subprocess.run([sys.executable, "-c", "import prefect.server.api.server"], check=True, cwd=REPO)


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_services_point_at_each_other() -> None:
    spec = compose()
    services = spec["services"]
    assert set(services) == {"postgres", "prefect-server", "channelwatch", "mailpit"}
    ports = {"postgres": 5432, "prefect-server": 4200, "mailpit": 1025}

    def target(url: str) -> tuple[str, int]:
        parts = urlsplit(url.replace("${POSTGRES_PASSWORD}", "pw"))
        return parts.hostname or "", parts.port or 0

    prefect_env = services["prefect-server"]["environment"]
    assert target(prefect_env["PREFECT_SERVER_DATABASE_CONNECTION_URL"]) == (
        "postgres",
        ports["postgres"],
    )
    worker_env = services["channelwatch"]["environment"]
    assert target(worker_env["PREFECT_API_URL"]) == ("prefect-server", ports["prefect-server"])
    assert worker_env["PREFECT_API_URL"].endswith("/api")
    assert target(worker_env["CHANNELWATCH_DB_URL"]) == ("postgres", ports["postgres"])
    assert worker_env["CHANNELWATCH_DB_URL"].startswith("postgresql+psycopg://")
    assert (worker_env["CHANNELWATCH_SMTP_HOST"], int(worker_env["CHANNELWATCH_SMTP_PORT"])) == (
        "mailpit",
        ports["mailpit"],
    )
    assert any(p.split(":")[-1] == "1025" for p in services["mailpit"]["ports"])
    assert any(p.split(":")[-1] == "4200" for p in services["prefect-server"]["ports"])

    # The app's database is created by the init script the postgres service mounts.
    database = urlsplit(worker_env["CHANNELWATCH_DB_URL"]).path.lstrip("/")
    mounts = dict(v.split(":")[:2] for v in services["postgres"]["volumes"])
    initdb = REPO / next(src for src, dst in mounts.items() if dst == "/docker-entrypoint-initdb.d")
    assert any(f"CREATE DATABASE {database}" in f.read_text() for f in initdb.glob("*.sql"))


def test_compose_dependencies_health_and_volumes() -> None:
    spec = compose()
    services = spec["services"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{dependency} has no healthcheck"
    named = {
        v.split(":")[0]
        for s in services.values()
        for v in s.get("volumes", [])
        if not v.startswith(".")
    }
    assert named <= set(spec.get("volumes", {}))
    for service in services.values():
        for volume in service.get("volumes", []):
            if volume.startswith("./"):
                assert (REPO / volume.split(":")[0]).exists()
    assert services["channelwatch"]["command"] == "channelwatch serve"
    assert all("healthcheck" in service for service in services.values())
    # The worker's health check asks the port its runner's web server is told to use.
    worker = services["channelwatch"]
    port = worker["environment"]["PREFECT_RUNNER_SERVER_PORT"]
    assert worker["environment"]["PREFECT_RUNNER_SERVER_ENABLE"] == "true"
    assert f"localhost:{port}/health" in " ".join(worker["healthcheck"]["test"])


def test_compose_prefect_image_matches_the_pinned_prefect() -> None:
    pin = re.search(r'"prefect==([\d.]+)"', (REPO / "pyproject.toml").read_text())
    assert pin
    assert compose()["services"]["prefect-server"]["image"].startswith(
        f"prefecthq/prefect:{pin.group(1)}-"
    )
