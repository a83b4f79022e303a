#!/usr/bin/env bash
# Fuzzes one rzmq-protocol target for longer than the build does (docs/fuzzing.md).
#   scripts/fuzz.sh CurveServerFuzzTest            # 10 minutes
#   scripts/fuzz.sh FrameDecoderFuzzTest 3600 -jobs=2 -workers=2
# Findings are written as crash-<sha1> into the target's Inputs directory under
# rzmq-protocol/src/test/resources/io/rzmq/protocol/fuzz/, where every build replays them.
set -euo pipefail
cd "$(dirname "$0")/../rzmq-protocol"
target=${1:?usage: scripts/fuzz.sh <Name>FuzzTest [seconds] [libFuzzer flags...]}
seconds=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
src=src/test/java/io/rzmq/protocol/fuzz/$target.java
[ -f "$src" ] || { echo "no fuzz target $src" >&2; exit 2; }
method=$(grep -A1 '@ProtocolFuzzTest' "$src" | grep -o 'void [A-Za-z0-9_]*' | cut -d' ' -f2)
mvn -B -ntp -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/fuzz-classpath.txt
exec java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)" \
  com.code_intelligence.jazzer.Jazzer --target_class="io.rzmq.protocol.fuzz.$target" --target_method="$method" \
  -max_total_time="$seconds" -timeout=30 "$@"
