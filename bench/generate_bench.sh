#!/usr/bin/env bash
# Generates the `bench` data set (1,000,000 contacts, 100,000 companies, 5,000,000 orders, 20,000,000 events) into a
# throw-away Orbita under bench/out/gen and prints how long it took. Builds nothing: expects target/orbita.jar
# (mvn -DskipTests package). Options: SEED (default 42), SCALE (bench or demo), KEEP=1 keeps the data directory of an
# earlier run instead of wiping it (generation refuses a non-empty workspace, so keep it only to inspect the data),
# ORBITA_BENCH_JVM_OPTS for extra JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/orbita.jar}
SEED=${SEED:-42}
SCALE=${SCALE:-bench}
OUT=bench/out/gen
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -f "$JAR" ] || { echo "no $JAR: build it first with mvn -DskipTests package" >&2; exit 1; }
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$OUT"; fi
mkdir -p "$OUT"
start=$(date +%s)
set +e
ORBITA_DATA_DIR="$OUT" ORBITA_EMBEDDED_DB_PORT=${ORBITA_EMBEDDED_DB_PORT:-54330} ORBITA_PORT=${ORBITA_PORT:-18090} \
ORBITA_ADMIN_EMAIL=bench@orbita.local ORBITA_ADMIN_PASSWORD=bench-password-1 \
  "$JAVA" -Xmx2g ${ORBITA_BENCH_JVM_OPTS:-} -jar "$JAR" \
  --orbita.demo.generate="$SCALE" --orbita.demo.seed="$SEED" --orbita.demo.exit-after=true > "$OUT/orbita.log" 2>&1
code=$?
set -e
end=$(date +%s)
grep -E "demo data for workspace|DEMO-GENERATED|generation failed" "$OUT/orbita.log" | sed 's/^.* : //' || true
echo "exit code: $code"
echo "elapsed (start, generate, stop): $((end - start)) s"
echo "data directory: $(du -sh "$OUT" | cut -f1)"
exit $code
