#!/usr/bin/env bash
# Template rendering alone, one thread: messages/s for a personalized library letter (Liquid + CSS inlining + text
# part), no database. Usage: bench/render_bench.sh [seconds] [library code]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -ntp test-compile
mvn -B -q -o -ntp dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.orbita.content.internal.RenderBench "${1:-10}" "${2:-post_sale}"
