#!/usr/bin/env bash
# Classifies image files on Apache Spark, locally by default, and writes a Parquet table (one row
# per file: path, modificationTime, length, class_index, label, probability, top_k, error). Needs
# only Java 17 and Maven: Spark comes from the project's provided-scope dependency.
#
#   scripts/spark-classify.sh --model models/resnet50 --images DIR_OR_GLOB --output out.parquet \
#       [--master local[*]] [--batch 16] [--top-k 5] [--overwrite]
#   SPARK_CLASSIFY_JAVA_OPTS=-Xmx8g scripts/spark-classify.sh ...   # extra JVM options
#
# Last line: "N images classified in T s (X images/s), output OUT". Spark's stage progress bar
# shows on stderr; its INFO logging is off (SPARK_CLASSIFY_JAVA_OPTS=
# -Dorg.slf4j.simpleLogger.log.org.apache.spark=info turns it on). On a cluster, spark-submit the
# jar instead (README, "Batch inference on Spark").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/spark-env.sh
source "$root/scripts/spark-env.sh"
jar="$root/target/resnet-java-cli.jar"
launch="$root/target/spark-launch"

if [[ ! -f "$jar" || -n "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit)" ]]; then
  echo "Building $jar ..." >&2
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
# Spark's jars: provided scope, so not in the resnet jar.
if [[ ! -s "$launch/classpath.txt" || "$root/pom.xml" -nt "$launch/classpath.txt" ]]; then
  echo "Resolving Spark's class path ..." >&2
  (cd "$root" && mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$launch/classpath.txt") >&2
fi
java_options="$(spark_java_options "$launch")"

export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-1}"
# shellcheck disable=SC2086 # the option lists are split on purpose.
exec java -Djava.awt.headless=true $java_options ${SPARK_CLASSIFY_JAVA_OPTS:-} \
  -cp "$jar:$(cat "$launch/classpath.txt")" io.github.resnetjava.cli.SparkClassifyCommand "$@"
