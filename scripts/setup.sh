#!/usr/bin/env bash
# One-time set-up, idempotent: Python venv with synjson and its test tools,
# the pinned npm packages (synaptic 1.1.4, synaptic 1.0.11, pyodide), and
# Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

PYTHON="${PYTHON:-python3}"
# A C compiler and Python's headers for the native kernel (synjson/engine/_kernel.c). Without them
# the install still works (pure Python, one warning line), only slower.
if [ "${SYNJSON_NO_EXTENSION:-0}" != 1 ] && command -v apt-get >/dev/null; then
    headers="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h"
    if ! command -v cc >/dev/null || [ ! -f "$headers" ]; then
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc python3-dev >/dev/null
    fi
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import synjson, pytest, hypothesis, playwright, json5" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.synjson-installed ] || [ setup.py -nt .venv/.synjson-installed ] \
   || [ -n "$(find synjson/engine -name '_kernel*' -newer .venv/.synjson-installed 2>/dev/null)" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test,fast]"
    touch .venv/.synjson-installed
fi

if [ ! -d node_modules/synaptic ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi

if [ "${SYNJSON_SKIP_CHROMIUM:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
fi
