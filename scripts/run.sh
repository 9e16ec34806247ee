#!/usr/bin/env bash
# Install everything and start the dashboard on the demo data (built on first run).
# Extra arguments go to `streamlit run`, e.g. scripts/run.sh --server.port 8502
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh" requirements.txt
source scripts/os_packages.sh
exec .venv/bin/python -m streamlit run dashboard.py "$@"
