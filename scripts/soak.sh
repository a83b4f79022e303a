#!/usr/bin/env bash
# Builds the samples jar and runs the soak (issue 12) for DURATION (default 60s; e.g. 30m).
# Extra arguments go to the soak command (soak --help). Exit status: 0 = no violation, 1 = violations.
#   scripts/soak.sh 30m
#   scripts/soak.sh 5m --rate 1000
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-60s}"
shift || true
mvn -B -ntp -q -pl samples -am package -DskipTests
exec java ${SOAK_JAVA_OPTS:-} -jar samples/target/rzmq-samples.jar soak --duration "$DURATION" "$@"
