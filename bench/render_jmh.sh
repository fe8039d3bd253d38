#!/usr/bin/env bash
# Template rendering alone under JMH: messages/s per thread for a personalized library letter and for the send
# benchmark's letter (Liquid + CSS inlining + text part, no database). JMH is fetched from Maven Central through
# bench/jmh/pom.xml the first time (that pom is not part of the build: `mvn verify` neither needs nor runs JMH).
#
#   bench/render_jmh.sh                       all benchmarks, JMH defaults of RenderJmh (1 fork, 3×2 s warm-up, 5×2 s)
#   bench/render_jmh.sh -p letter=welcome     another library letter; any JMH option works (-f, -wi, -i, -t, -prof gc ...)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MVN=(mvn -B -q -ntp)
"${MVN[@]}" -o compile
"${MVN[@]}" -o dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
"${MVN[@]}" -o -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/target/jmh-classpath.txt" >/dev/null 2>&1 \
  || "${MVN[@]}" -f bench/jmh/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/target/jmh-classpath.txt" >/dev/null
CP="target/classes:$(cat target/bench-classpath.txt)"
JMH_CP=$(cat target/jmh-classpath.txt)
rm -rf target/jmh-classes && mkdir -p target/jmh-classes
"$JAVA_HOME/bin/javac" -proc:full -nowarn -d target/jmh-classes -cp "$CP:$JMH_CP" -processorpath "$JMH_CP" \
  $(find bench/jmh/src/main/java -name '*.java')
"$JAVA_HOME/bin/java" -cp "target/jmh-classes:$CP:$JMH_CP" org.openjdk.jmh.Main RenderJmh "$@"
