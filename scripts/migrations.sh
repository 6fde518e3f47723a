#!/usr/bin/env bash
# Keeps the two migrations sets (SQLite, SQL Server) in step.
#   scripts/migrations.sh add <Name>   add a migration to both providers
#   scripts/migrations.sh reset        drop both sets and regenerate a single Initial (only while nothing is deployed)
#   scripts/migrations.sh check        fail when either provider has pending model changes
#   scripts/migrations.sh script       print the idempotent SQL Server script (for production)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
ef() { dotnet ef "$@" --project Terminal.Data --startup-project Terminal.Data --configuration Release --no-build; }
dotnet build Terminal.Data -c Release -nologo -v q >/dev/null
case "${1:-}" in
  add)
    name="${2:?migration name}"
    ef migrations add "$name" --context SqliteTerminalDbContext --output-dir Migrations/Sqlite
    ef migrations add "$name" --context SqlServerTerminalDbContext --output-dir Migrations/SqlServer
    ;;
  reset)
    rm -rf Terminal.Data/Migrations
    dotnet build Terminal.Data -c Release -nologo -v q >/dev/null
    ef migrations add Initial --context SqliteTerminalDbContext --output-dir Migrations/Sqlite
    ef migrations add Initial --context SqlServerTerminalDbContext --output-dir Migrations/SqlServer
    ;;
  check)
    ef migrations has-pending-model-changes --context SqliteTerminalDbContext
    ef migrations has-pending-model-changes --context SqlServerTerminalDbContext
    ;;
  script)
    ef migrations script --idempotent --context SqlServerTerminalDbContext
    ;;
  *) echo "usage: $0 add <Name> | reset | check | script" >&2; exit 2 ;;
esac
