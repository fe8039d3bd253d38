#!/usr/bin/env bash
# Every benchmark, one after the other, on the current target/orbita.jar (build it first: mvn -DskipTests package).
# Logs go to bench/out/results/<name>.log, start/end times with the load average to bench/out/results/summary.txt.
# The segments benchmark needs the generated data set (bench/generate_bench.sh); about 10 minutes in all on 2 cores.
set -u
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
OUT=bench/out/results
mkdir -p "$OUT"
run() {
  local name=$1; shift
  echo "=== $name start $(date -u +%T) $(uptime)" >> "$OUT/summary.txt"
  timeout 1500 "$@" > "$OUT/$name.log" 2>&1
  echo "=== $name end $(date -u +%T) rc=$? $(uptime)" >> "$OUT/summary.txt"
  tail -n 4 "$OUT/$name.log"
}
run jmh bench/render_jmh.sh
run tracking python3 bench/tracking_bench.py
run events python3 bench/events_bench.py --wrk 15
run send bash bench/send_bench.sh 100000
run import python3 bench/import_bench.py
run segments python3 bench/segments_bench.py
