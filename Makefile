# make install | run | test | lint — everything installs into .venv from uv.lock.
SHELL := /bin/bash
PYTHON ?= python3
# uv from PATH, else a private copy bootstrapped with pip into .tools/.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run test lint soak

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

run: install
	.venv/bin/channelwatch run

test: install
	.venv/bin/pytest -n 2  # both cores; each worker starts its own Prefect harness

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Ten simulated days of half-hourly cycles over a changing local feed farm (about 15 min).
soak: install
	.venv/bin/python benchmarks/soak.py --cycles 480 --sources 8
