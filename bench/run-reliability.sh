#!/usr/bin/env bash
# Runs the reliability suite of issue 10 (io.snapline.bench.ReliabilitySuite): the service as a child
# JVM with the Dockerfile's JVM settings in an emulated 512 MiB container, against the embedded SQS
# and the wire fakes with their fault layer. Prints one table (target, measured figure, PASS/FAIL per
# row) and exits non-zero when a target is missed.
# Options go through as system properties:
#   bench/run-reliability.sh -Dreduced=true     # the CI size (fewer events and hostile bodies)
#   bench/run-reliability.sh -Drows=1,5,6       # some rows only
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
exec java -Xms256m -Xmx3g "$@" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  io.snapline.bench.ReliabilitySuite
