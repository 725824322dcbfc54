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
# The three installs below are independent: the Pyodide toolchain and npm run in the background
# while pip builds the kernel and installs the test tools. On a clean clone of this 2-core machine
# that takes the set-up from about 90 s to about 40 s (README.md, "Running the tests").
background=()
log_dir="$(mktemp -d)"
trap 'rm -rf "$log_dir"' EXIT
run_in_background() {  # name, command...: run it with its output in a log, shown only if it fails
    local name="$1"; shift
    ( "$@" ) >"$log_dir/$name.log" 2>&1 &
    background+=("$!:$name")
}

# venv --without-pip, then the outer pip installs into it (pip >= 22.3 has --python): ensurepip's own
# install of pip was the slowest single step. pip is still installed, with the rest (tests run it).
venv_with() {  # python, folder
    if "$1" -m pip --help 2>/dev/null | grep -q -- "--python <python>"; then
        "$1" -m venv --without-pip "$2"
    else
        "$1" -m venv "$2"
    fi
}
pip_into() {  # folder, pip install arguments...: no pip upgrade, no byte-compiling ahead of use
    local folder="$1"; shift
    if [ -x "$folder/bin/pip" ]; then
        "$folder/bin/python" -m pip install --quiet --no-compile "$@"
    else
        "$PYTHON" -m pip --python "$folder/bin/python" install --quiet --no-compile "$@"
    fi
}

# The Pyodide toolchain for --bundle-pyodide (`pyodide lockfile add-wheels`, docs/export.md):
# pyodide-lock 0.2 reads Pyodide 314's lock file and needs Python >= 3.12, so it gets its own venv.
pyodide_toolchain() {
    rm -rf .venv-pyodide
    PYTHON="$1" venv_with "$1" .venv-pyodide
    PYTHON="$1" pip_into .venv-pyodide "pyodide-lock[wheel]==0.2.1" "pyodide-cli==0.5.0"
    touch .venv-pyodide/.installed
}
if [ ! -x .venv-pyodide/bin/pyodide ] || [ scripts/setup.sh -nt .venv-pyodide/.installed ]; then
    PYODIDE_PYTHON="${PYODIDE_PYTHON:-}"
    # pyenv's shims fail for versions that are not selected: try its interpreters directly too.
    for candidate in python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 "$PYTHON"; do
        if [ -z "$PYODIDE_PYTHON" ] && command -v "$candidate" >/dev/null \
           && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            PYODIDE_PYTHON="$candidate"
        fi
    done
    if [ -n "$PYODIDE_PYTHON" ]; then
        run_in_background pyodide pyodide_toolchain "$PYODIDE_PYTHON"
    else
        echo "setup: no Python >= 3.12 found for the Pyodide toolchain; --bundle-pyodide will not work" >&2
    fi
fi

if [ -L node_modules ]; then
    # A worktree sharing another checkout's packages: npm ci would empty that checkout's folder.
    echo "setup: node_modules is a link to $(readlink node_modules); not running npm ci here" >&2
elif [ ! -d node_modules/synaptic ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    run_in_background npm npm ci --no-audit --no-fund --loglevel=error --prefer-offline
fi

# Debian's chromium for the browser tests, also in the background (apt's download and unpack
# overlap pip's build of the kernel).
if [ "${SYNJSON_SKIP_CHROMIUM:-0}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
    install_chromium() {
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    }
    run_in_background chromium install_chromium
fi

# uv (a PyPI package) installs the venv's ~90 packages in about 15 s where pip takes about 45: taken from
# PATH, or put once in the user's cache by pip; pip does it all when neither works.
find_uv() {
    if command -v uv >/dev/null; then command -v uv; return; fi
    local home="${XDG_CACHE_HOME:-$HOME/.cache}/synjson-uv"
    if [ ! -x "$home/bin/uv" ]; then
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --target "$home" "uv>=0.5" >/dev/null 2>&1 || return 0
    fi
    [ -x "$home/bin/uv" ] && echo "$home/bin/uv"
}
if ! .venv/bin/python -c "import synjson, pytest, hypothesis, playwright, json5, xdist, pip" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.synjson-installed ] || [ setup.py -nt .venv/.synjson-installed ] \
   || [ -n "$(find synjson/engine -name '_kernel*' -newer .venv/.synjson-installed 2>/dev/null)" ]; then
    UV="${SYNJSON_UV-$(find_uv)}"  # SYNJSON_UV= (empty) installs with pip alone
    if [ -n "$UV" ] && { [ -x .venv/bin/python ] || "$UV" venv --quiet --python "$PYTHON" .venv; } \
       && "$UV" pip install --quiet --python .venv/bin/python pip -e ".[test,fast]"; then
        :
    else
        # No uv, or uv could not install (it reads no pip.conf: a machine whose packages come only from
        # pip's configured index or wheel folder): pip, as configured, does it.
        [ -z "$UV" ] || echo "setup: uv could not install the venv; pip does" >&2
        [ -x .venv/bin/python ] || venv_with "$PYTHON" .venv
        pip_into .venv pip -e ".[test,fast]"
    fi
    touch .venv/.synjson-installed
fi

failed=0
for job in "${background[@]}"; do
    if ! wait "${job%%:*}"; then
        echo "setup: ${job#*:} failed:" >&2
        cat "$log_dir/${job#*:}.log" >&2
        failed=1
    fi
done
[ "$failed" = 0 ]

