#!/usr/bin/env bash
# Install everything the tests need (Python packages; Chromium and CJK fonts from the OS
# packages when missing) and run the whole test suite. Arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh" requirements-dev.txt
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
