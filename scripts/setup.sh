#!/usr/bin/env bash
# One-time set-up, idempotent: Python venv with synjson and its test tools,
# the pinned npm packages (synaptic 1.1.4, synaptic 1.0.11, pyodide), and
# Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! .venv/bin/python -c "import synjson, pytest, hypothesis, playwright, json5" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.synjson-installed ]; then
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
