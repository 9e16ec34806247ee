#!/usr/bin/env bash
# Install everything the tests need (Python packages; Chromium and CJK fonts from the OS
# packages when missing) and run the whole test suite, its files spread over one worker per core
# (at most 4; a file's tests stay together on one worker, in order), and names the 25 slowest.
# Arguments go to pytest (`-n 0` runs everything in this one process).
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh" requirements-dev.txt
source scripts/os_packages.sh
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest -n auto --maxprocesses 4 --dist loadfile --durations=25 "$@"
