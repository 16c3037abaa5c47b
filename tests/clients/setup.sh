#!/usr/bin/env bash
# Installs the real clients the interop tests load the exports with:
# a Python venv (networkx, igraph, kuzu from PyPI) and npm packages
# (graphology, graphology-graphml, graphology-gexf).
#
# Usage: tests/clients/setup.sh [CACHE_DIR]   (default: <crate>/target/clients)
#
# Idempotent and cheap when nothing changed: a stamp file holds the hash of the
# pinned requirements and of this script, so a second run only checks that the
# clients still import. Safe to run concurrently (flock on CACHE_DIR/.lock).
# Exits non-zero, with the failing step on stderr, if anything cannot be installed:
# the interop tests then fail rather than skip.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
crate="$(cd "$here/../.." && pwd)"
cache="${1:-${POLICYGRAPH_CLIENTS_DIR:-$crate/target/clients}}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"

exec 9>"$cache/.lock"
flock 9

python="${PYTHON:-python3}"
stamp_want="$(cat "$here/requirements.txt" "$here/package.json" "$here/setup.sh" | sha256sum | cut -d' ' -f1)"
stamp_file="$cache/stamp"

check() {
    "$cache/venv/bin/python" -c 'import networkx, igraph, kuzu' &&
        (cd "$cache/node" && node -e 'require("graphology"); require("graphology-graphml"); require("graphology-gexf")')
}

if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]] && check 2>/dev/null; then
    echo "clients ready in $cache (cached)" >&2
    exit 0
fi

step() { echo "setup.sh: $*" >&2; }
die() { echo "setup.sh: FAILED: $*" >&2; exit 1; }

command -v "$python" >/dev/null || die "no $python on PATH (needed for the Python clients)"
command -v node >/dev/null || die "no node on PATH (needed for graphology)"
command -v npm >/dev/null || die "no npm on PATH (needed for graphology)"

rm -f "$stamp_file"
if [[ ! -x "$cache/venv/bin/python" ]]; then
    step "creating venv in $cache/venv"
    "$python" -m venv "$cache/venv" || die "python -m venv (on Debian: apt-get install python3-venv)"
fi
step "pip install -r requirements.txt"
"$cache/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$here/requirements.txt" >&2 || die "pip install of networkx, igraph, kuzu"

step "npm install graphology clients"
mkdir -p "$cache/node"
cp "$here/package.json" "$cache/node/package.json"
(cd "$cache/node" && npm install --no-audit --no-fund --loglevel=error >&2) ||
    die "npm install of graphology, graphology-graphml, graphology-gexf"

check || die "clients installed but do not import"
echo "$stamp_want" >"$stamp_file"
echo "clients ready in $cache" >&2
