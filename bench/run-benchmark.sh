#!/usr/bin/env bash
# Runs the consumer benchmark against the embedded SQS server on this machine and prints its
# figures; the last line is "consumer/raw throughput ratio: <x>".
# Options go through as system properties, e.g. bench/run-benchmark.sh -Dmessages=20000 -Dwarmup=100000
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xms512m -Xmx2g "$@" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.snapline.bench.ConsumerBenchmark
