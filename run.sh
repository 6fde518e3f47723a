#!/usr/bin/env bash
# Runs the terminal on its embedded defaults (SQLite, local secret store, demo feed, local clip
# folder) at http://localhost:5080, installing ffmpeg and Node/npm first when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/ensure-prerequisites.sh
ensure_prerequisites ffmpeg npm
ensure_report_fonts
exec dotnet run --project Terminal.Web -c Release -- --urls "${URLS:-http://localhost:5080}" "$@"
