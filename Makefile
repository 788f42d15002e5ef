# RSR Profile Editor — developer entry points.
#   make run     set up .venv (first time) and start the app
#   make test    set up .venv (first time) and run the whole test suite headless
#   make lint    ruff, mypy (strict, the whole package), import-linter, the workflow files
#                (GitHub's schema) and the shell scripts (shellcheck)
#   make bundle  build the desktop bundle for this OS into dist/ from the pinned, hash-checked
#                dependencies of packaging/requirements-bundle.txt, and smoke-test it
#   make dist    build the wheel and the sdist into dist/
#   make lock    re-pin packaging/requirements-bundle.txt (needs the package registry)
#
# Another interpreter: `make test PYTHON=python3.13` (a name or a path) uses its own
# virtualenv, .venv-3.13, and leaves .venv alone. A virtualenv made by another interpreter
# than PYTHON (python3 upgraded, pyenv switched) is made anew.

ifndef PYTHON
PYTHON := python3
VENV ?= .venv
else
PY_VERSION := $(shell "$(PYTHON)" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(PY_VERSION),)
$(error PYTHON=$(PYTHON) does not run; give a Python 3.11+ interpreter by name or path)
endif
VENV ?= .venv-$(PY_VERSION)
endif

# Windows keeps a virtualenv's programs in Scripts/
ifeq ($(OS),Windows_NT)
VENV_BIN := Scripts
else
VENV_BIN := bin
endif

BIN   := $(VENV)/$(VENV_BIN)
STAMP := $(VENV)/.installed

BUNDLE_LOCK  := packaging/requirements-bundle.txt
BUNDLE_VENV  ?= $(VENV)-bundle
BUNDLE_BIN   := $(BUNDLE_VENV)/$(VENV_BIN)
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed

# Which interpreter a virtualenv was made from: its base installation and version.
PY_IDENTITY := import sys; print(sys.base_prefix, *sys.version_info[:3])
WANTED      := $(shell "$(PYTHON)" -c '$(PY_IDENTITY)' 2>/dev/null)
made_by      = $(shell "$(1)/$(VENV_BIN)/python" -c '$(PY_IDENTITY)' 2>/dev/null)
equal        = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
# FORCE when the virtualenv at $(1) exists but another interpreter made it
stale        = $(if $(wildcard $(1)/.installed),$(if $(call equal,$(WANTED),$(call made_by,$(1))),,FORCE))

.PHONY: run test lint bundle dist lock screenshot clean FORCE

$(STAMP): pyproject.toml $(call stale,$(VENV))
	"$(PYTHON)" -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,packaging]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/rsr-editor $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/shellcheck .ci/run .ci/test-legs .ci/install-debian-packages \
		packaging/macos/sign-and-notarize.sh

# The bundle is built in a virtualenv of its own holding exactly the pinned distributions:
# pip checks every file against its hash, build.py refuses any installed version that is
# not the pinned one and prints the list.
$(BUNDLE_STAMP): $(BUNDLE_LOCK) $(call stale,$(BUNDLE_VENV))
	"$(PYTHON)" -m venv --clear $(BUNDLE_VENV)
	$(BUNDLE_BIN)/python -m pip install --quiet --require-hashes --only-binary :all: \
		-r $(BUNDLE_LOCK)
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BUNDLE_BIN)/python packaging/build.py --lock $(BUNDLE_LOCK) $(BUNDLE_ARGS)

dist: $(STAMP)
	$(BIN)/python -m build --outdir dist .

# One lock for every OS and CPU the release workflow builds on, and every Python from 3.11:
# uv resolves across platforms (markers such as sys_platform == 'win32' are kept) and
# records the hash of every wheel of each pinned release. Then each release platform's
# wheels are downloaded and checked against those hashes (macOS as of 14, what the Qt
# wheel needs), so a platform without wheels fails here and not in the release workflow.
LOCK_PLATFORMS := x86_64-manylinux_2_34 x86_64-pc-windows-msvc aarch64-apple-darwin \
	x86_64-apple-darwin
LOCK_PYTHONS   := 3.11 3.12 3.13

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra packaging --universal --generate-hashes \
		--python-version 3.11 --custom-compile-command "make lock" -o $(BUNDLE_LOCK)
	@set -e; for platform in $(LOCK_PLATFORMS); do for python in $(LOCK_PYTHONS); do \
		rm -rf build/lock-check; \
		MACOSX_DEPLOYMENT_TARGET=14.0 $(BIN)/uv pip install --quiet --require-hashes \
			--only-binary :all: --python-platform $$platform --python-version $$python \
			--target build/lock-check -r $(BUNDLE_LOCK); \
		echo "lock: wheels with matching hashes for $$platform, Python $$python"; \
	done; done; rm -rf build/lock-check

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshot.py

FORCE:

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache
