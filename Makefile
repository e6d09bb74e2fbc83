# QuantumFlow — `make help` is the contributor's map.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(VENV)/bin/pip
BIN     := $(VENV)/bin
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LABEXT_OUT := jupyter-data/data/share/jupyter/labextensions/quantumflow
RUST_SRC := $(shell find rust -name '*.rs' -o -name Cargo.toml) Cargo.toml
export QUANTUMFLOW_WORKERS ?= 2
comma := ,
# CI also installs the torch extra (PyPI's wheel): its tests fail there instead of skipping
EXTRAS ?= dev$(if $(CI),$(comma)torch,)

.PHONY: base-image image-wheel image image-local image-test types py-core-test deploy-lint help install labext lab lint fmt rust-test py-test nb-test ui-lint ui-unit ui-test ui-screenshots bench bench-quick test clean

help:  ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml $(RUST_SRC)
	@# `labext` links the build output into the venv; pip would write its copy through it
	@rm -f $(VENV)/share/jupyter/labextensions/quantumflow 2>/dev/null || true
	$(PIP) install -q -e ".[$(EXTRAS)]"
	@touch $@

install: $(VENV)/.installed  ## create .venv and install QuantumFlow (Rust in release mode) with every test extra (CI: + torch)

node_modules/.package-lock.json: package.json package-lock.json labextension/package.json
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund
	@touch $@

# Order-only on the venv: the build needs jupyter-builder from it, not a fresh install.
$(LABEXT_OUT)/package.json: node_modules/.package-lock.json $(shell find labextension/src labextension/style -type f 2>/dev/null) labextension/tsconfig.json | $(PY)
	PATH=$(abspath $(BIN)):$$PATH npm run build --workspace labextension
	@test -f $@ || { echo "lab extension build did not produce $@"; exit 1; }

labext: $(LABEXT_OUT)/package.json  ## build the JupyterLab extension and link it into .venv
	@mkdir -p $(VENV)/share/jupyter/labextensions
	@# an editable install copies the build here; replace the stale copy with a link
	@d=$(VENV)/share/jupyter/labextensions/quantumflow; if [ -d $$d ] && [ ! -L $$d ]; then rm -rf $$d; fi
	@ln -sfn $(abspath $(LABEXT_OUT)) $(VENV)/share/jupyter/labextensions/quantumflow

ui-lint: node_modules/.package-lock.json  ## eslint + prettier on the lab extension
	npm run lint --workspace labextension

ui-unit: node_modules/.package-lock.json  ## vitest: lab extension components and API client
	npm test --workspace labextension

ui-test: install labext  ## browser tests: real JupyterLab + server extension, Debian Chromium (tests/e2e)
	$(BIN)/pytest -q -p no:cacheprovider -m browser tests

ui-screenshots: ui-test  ## refresh docs/img/ui-*.png (light and dark) from the browser tests
	cp tests/e2e/artifacts/ui-*.png docs/img/

lab: install labext  ## install everything and open JupyterLab on the example notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ROOT_FLAG)

types: install node_modules/.package-lock.json  ## regenerate labextension/src/generated (API models, status names) from Python
	$(PY) -m quantumflow.api.typescript

lint: install ui-lint  ## ruff, import layers (lint-imports), mypy (+stubtest), rustfmt, clippy, eslint, prettier
	$(BIN)/ruff check quantumflow tests benchmarks
	$(BIN)/ruff format --check quantumflow tests benchmarks
	$(BIN)/lint-imports
	$(PY) -m quantumflow.api.typescript --check
	$(BIN)/mypy
	$(PY) -m mypy.stubtest quantumflow._native._core
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

fmt:  ## format Python and Rust in place
	$(BIN)/ruff format quantumflow tests benchmarks
	$(BIN)/ruff check --fix quantumflow tests benchmarks
	cargo fmt --all

rust-test:  ## cargo test (scheduler core + bindings)
	cargo test --workspace --exclude qflow-py

py-core-test: install  ## pytest without the browser (real simulators, SQLite, PostgreSQL, Jupyter server, Dask)
	$(BIN)/pytest -q -m "not browser and not image"

py-test: py-core-test ui-test  ## every pytest test, the browser ones included

nb-test: install  ## run the example notebooks as tests (nbval; numeric assertions inside), in a scratch store
	QUANTUMFLOW_HOME=$$(mktemp -d) $(BIN)/pytest --nbval-lax --nbval-current-env -p no:cacheprovider notebooks/

# CI (.github/workflows/ci.yml) runs the same targets, one job each.
test: lint rust-test py-test image-test ui-unit nb-test  ## everything CI runs

deploy-lint:  ## check deploy/ and CI files: hadolint, compose-spec + Kubernetes schemas, yamllint
	$(BIN)/pytest -q -m "not image" tests/deploy

# ----------------------------------------------------------------------------- container image
IMAGE      ?= quantumflow:dev
IMAGE_BASE ?= python:3.11-slim-bookworm
LOCAL_BASE ?= localhost/quantumflow-base:bookworm
IMAGE_WHEEL := build/image/wheel/.built
export BUILDAH_STORAGE_DRIVER ?= vfs

# The wheel the image installs, built once from the working tree (deploy/image/wheel.sh).
$(IMAGE_WHEEL): pyproject.toml README.md Cargo.lock $(RUST_SRC) $(shell find quantumflow -type f -not -path '*/__pycache__/*' -not -name '*.so') $(shell find labextension/src labextension/style -type f 2>/dev/null) labextension/package.json node_modules/.package-lock.json | $(VENV)/.installed
	deploy/image/wheel.sh $(VENV)
	@touch $@

image-wheel: $(IMAGE_WHEEL)  ## the wheel the image installs (lab extension inside), in build/image/wheel/dist

base-image:  ## a Debian bookworm base image from Debian's packages (debootstrap; made once, root)
	deploy/image/base-image.sh $(LOCAL_BASE)

image: $(IMAGE_WHEEL)  ## build the image quantumflow:dev (buildah, Docker or Podman; IMAGE_BASE=python slim)
	deploy/image/build.sh $(IMAGE) $(IMAGE_BASE)

image-local: base-image $(IMAGE_WHEEL)  ## the image on the local Debian base (no registry needed; CI)
	deploy/image/build.sh $(IMAGE) $(LOCAL_BASE)

# Skipped where buildah is missing, except in CI (CI set), where its absence fails the build.
image-test: install  ## build the image (image-local), run its smoke tests: CLI, serve, JupyterLab, compose topology
	@if ! command -v buildah >/dev/null && [ -z "$(CI)" ]; then \
	  echo "image-test: skipped, buildah is not installed (apt-get install buildah debootstrap)"; \
	else \
	  $(MAKE) --no-print-directory image-local && $(BIN)/pytest -q -p no:cacheprovider -m image tests/deploy; \
	fi

bench: install  ## run benchmarks/ and rewrite docs/benchmarks.md
	$(PY) benchmarks/run.py --json benchmarks/out/results.json --markdown docs/benchmarks.md

bench-quick: install  ## the harness at small sizes (QuantumFlow + peers), results in benchmarks/out/
	$(PY) benchmarks/run.py --quick --json benchmarks/out/quick.json

clean:  ## remove build outputs (keeps .venv)
	cargo clean
	rm -rf $(LABEXT_OUT) labextension/lib node_modules
