# Sourced by scripts/spark-classify.sh and scripts/bench-spark.sh: the JVM options a JVM that
# runs Spark in-process needs.
#
#   spark_java_options DIR   prints them: the --add-opens flags Spark 3.5 needs on Java 17 (read
#                            once from pom.xml's spark.java.options, cached in DIR) and slf4j-simple
#                            levels that keep Spark's, Hadoop's and Parquet's INFO logging off
#                            (a later -Dorg.slf4j.simpleLogger.log.org.apache.spark=info wins).

spark_java_options() {
  local cache="$1/java-options.txt"
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [[ ! -s "$cache" || "$root/pom.xml" -nt "$cache" ]]; then
    mkdir -p "$1"
    # Maven colours even quiet batch output; the sed drops any escape codes that remain.
    (cd "$root" && mvn -B -q -Dstyle.color=never help:evaluate -Dexpression=spark.java.options \
      -DforceStdout) | sed 's/\x1b\[[0-9;]*m//g' > "$cache"
  fi
  echo "$(cat "$cache")" \
    -Dorg.slf4j.simpleLogger.log.org.apache.spark=warn \
    -Dorg.slf4j.simpleLogger.log.org.sparkproject=warn \
    -Dorg.slf4j.simpleLogger.log.org.apache.hadoop=warn \
    -Dorg.slf4j.simpleLogger.log.org.apache.parquet=warn
}
