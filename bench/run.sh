#!/usr/bin/env bash
# The benchmark of docs/benchmarks.md in one command: builds rzmq's perf tool (samples jar), the libzmq
# peer (gcc -O2 perf.c -lzmq) and the JeroMQ 0.6.0 peer, then runs bench/bench.py, which runs the whole
# table against both and rewrites the generated part of docs/benchmarks.md and its chart.
#
#   bench/run.sh                 full run, medians of 5 (about 20 minutes on a 2-core machine)
#   bench/run.sh --reps 3        fewer repetitions
#   bench/run.sh --quick         smoke test: every test once, small counts; writes to target/bench only
#   bench/run.sh --help          all options of bench.py
#
# Prerequisites (a fresh Debian machine after .ci/run's apt installs): JDK 17, Maven, Python 3,
# gcc and libzmq3-dev (zmq.h + libzmq.so), and the reference peers' sources in ../shared/bench
# (perf.c, jeromq/pom.xml + Perf.java, pairs.py) or wherever RZMQ_BENCH_PEERS points.
# Not part of `mvn verify`: run it on a quiet machine, nothing else building.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="${RZMQ_BENCH_PEERS:-$ROOT/../shared/bench}"
OUT="$ROOT/target/bench"
for f in "$PEERS/pairs.py" "$PEERS/libzmq/perf.c" "$PEERS/jeromq/pom.xml"; do
  [ -e "$f" ] || { echo "run.sh: $f missing: set RZMQ_BENCH_PEERS to the reference peers' directory" >&2; exit 2; }
done
[ -e /usr/include/zmq.h ] || { echo "run.sh: libzmq headers missing: apt-get install -y libzmq3-dev" >&2; exit 2; }
mkdir -p "$OUT"

case " $* " in *" --help "*|*" -h "*) exec python3 "$ROOT/bench/bench.py" --help ;; esac

echo "run.sh: building rzmq's perf tool (samples jar)" >&2
(cd "$ROOT" && mvn -B -ntp -q -pl samples -am package -DskipTests)
echo "run.sh: building the libzmq peer" >&2
gcc -O2 -o "$OUT/zperf" "$PEERS/libzmq/perf.c" -lzmq
echo "run.sh: building the JeroMQ peer" >&2
# Built in a copy, so the shared directory stays as it is.
rm -rf "$OUT/jeromq" && mkdir -p "$OUT/jeromq" && cp -r "$PEERS/jeromq/pom.xml" "$PEERS/jeromq/src" "$OUT/jeromq/"
mvn -B -ntp -q -f "$OUT/jeromq/pom.xml" package

exec python3 "$ROOT/bench/bench.py" --peers "$PEERS" --build "$OUT" "$@"
