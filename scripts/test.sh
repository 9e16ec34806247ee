#!/usr/bin/env bash
# Install everything the tests need (Python packages; Chromium and CJK fonts from the OS
# packages when missing) and run the whole test suite. Arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh" requirements-dev.txt
source scripts/os_packages.sh
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
