#!/usr/bin/env bash
# Runs the masking benchmark on embedded PostgreSQL and MariaDB (started from Maven artifacts on this
# machine) and prints, per database, masked rows per second against a plain UPDATE t SET c = md5(c)
# of the same rows; the last line is "masking/update ratio: <x>".
# Options go through as system properties, e.g. bench/run-masking-benchmark.sh -Drows=1000000 -Dparallelism=2
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -Xms256m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$@" \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.snapline.bench.MaskingBenchmark
