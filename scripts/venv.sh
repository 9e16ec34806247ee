# Sourced by run.sh and test.sh: create .venv and install the pinned requirements file given
# as $1, skipping pip when that file has not changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
STAMP=".venv/.installed-$(basename "$1")"
WANT="$(cat requirements.txt "$1" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
    echo "$WANT" > "$STAMP"
fi
