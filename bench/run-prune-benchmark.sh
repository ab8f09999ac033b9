#!/usr/bin/env bash
# Runs the pruning benchmark against the wire-protocol fakes in this JVM and prints, for N snapshots
# and an export of M objects (each at a quarter and at full size), the API calls per item and the
# peak heap the run added. Options: bench/run-prune-benchmark.sh -Dsnapshots=10000 -Dobjects=200000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xms512m -Xmx2g "$@" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.snapline.bench.PruneBenchmark
