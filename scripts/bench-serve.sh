#!/usr/bin/env bash
# Loopback benchmark of `resnet serve` and writes its section of docs/benchmarks.md (between the
# serve-bench markers; the rest of the file is left as it is).
#
#   scripts/bench-serve.sh                 # ResNet-50, optimized export, 30 s per configuration
#   SECONDS_PER_RUN=10 scripts/bench-serve.sh
#
# It exports a ResNet-50 v2 with --optimize (the export docs/benchmarks.md recommends), then, for
# 8 and 32 closed-loop clients, runs `resnet serve` without and with --batching, each in a fresh
# server process, for SECONDS_PER_RUN seconds or MAX_REQUESTS requests, whichever comes first.
# Every request is one JPEG through the image_bytes signature ({"b64": ...}). It also times
# Classifier.classifyEncoded in-process at batch 1 and batch 8 on the same image, and reads the
# server's RSS before and after its run. Servers listen on 127.0.0.1 only and are stopped with
# SIGTERM at the end of each run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
resnet="$root/scripts/resnet"
jar="$root/target/resnet-java-cli.jar"
seconds="${SECONDS_PER_RUN:-30}"
max_requests="${MAX_REQUESTS:-10000}"
port="${BENCH_PORT:-18501}"
report="$root/docs/benchmarks.md"
cd "$root"
# shellcheck source=lib/report-section.sh
source "$root/scripts/lib/report-section.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/resnet-serve-bench.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== Export ResNet-50 v2 (optimized) and a test JPEG" >&2
"$resnet" export --depth 50 --classes 1000 --seed 42 --optimize \
  --output-dir "$work/models" --name resnet50 --version 1 >&2
"$resnet" generate-images --output-dir "$work/images" >&2
image="$(ls "$work"/images/*.jpg | head -1)"

load() { java -Djava.awt.headless=true -cp "$jar" "$root/scripts/ServeLoad.java" "$@"; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
field() { sed -E "s/.*$1=([^ ]+).*/\1/" <<<"$2"; }

rows=()
run_server() { # $1 = label, $2 = clients, rest = serve options
  local label="$1" clients="$2"
  shift 2
  # Through scripts/resnet (which execs java, so $! is the server's pid), with its JVM and
  # TensorFlow settings.
  "$resnet" serve --models-dir "$work/models" --rest-port "$port" --poll-seconds 0 "$@" \
    >"$work/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if curl -sf "http://127.0.0.1:$port/v1/models/resnet50" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  local url="http://127.0.0.1:$port/v1/models/resnet50:predict"
  load http "$url" "$clients" 3 64 "$image" >/dev/null # warm-up
  local rss_start
  rss_start="$(rss_mib "$server_pid")"
  local result
  result="$(load http "$url" "$clients" "$seconds" "$max_requests" "$image")"
  local rss_end
  rss_end="$(rss_mib "$server_pid")"
  kill -TERM "$server_pid"
  wait "$server_pid" || true
  server_pid=""
  echo "$label, $clients clients: $result rss_start_mib=$rss_start rss_end_mib=$rss_end" >&2
  rows+=("| $label | $clients | $(field images_per_s "$result") | $(field p50_ms "$result") | $(field p99_ms "$result") | $(field images "$result") | $(field errors "$result") | $rss_start → $rss_end MiB |")
  eval "ips_${label// /_}_$clients=$(field images_per_s "$result")"
}

load_before="$(cut -d' ' -f1 /proc/loadavg)"
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
for clients in 8 32; do
  run_server "unbatched" "$clients"
  run_server "batching" "$clients" --batching --max-batch-size 8 --batch-timeout-micros 2000 \
    --max-enqueued-batches 16
done
echo "== In-process Classifier.classifyEncoded" >&2
inproc1="$(load inprocess "$work/models/resnet50/1" 1 "$seconds" "$image")"
inproc8="$(load inprocess "$work/models/resnet50/1" 8 "$seconds" "$image")"
echo "batch 1: $inproc1" >&2
echo "batch 8: $inproc8" >&2
load_after="$(cut -d' ' -f1 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
family="$(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
section="$(cat <<EOT
## \`resnet serve\` under load (scripts/bench-serve.sh)

Written by \`scripts/bench-serve.sh\` on $started: ResNet-50 v2, optimized export (\`--optimize\`),
one JPEG per request through the \`image_bytes\` signature (\`{"b64": ...}\`), closed-loop
\`java.net.http\` clients on 127.0.0.1, each configuration in a fresh server process for ${seconds} s
or ${max_requests} requests, after a 3-s warm-up. Batching: \`--max-batch-size 8
--batch-timeout-micros 2000 --max-enqueued-batches 16\`, num_batch_threads = cores. CPU: $cpu
(family $family), $(nproc) cores; load average before $load_before, after $load_after (other
processes shared the CPU: compare the ratios, measured side by side, not the absolute numbers).

| server | clients | images/s | p50 ms | p99 ms | requests | errors | RSS start → end |
|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")

| in-process \`Classifier.classifyEncoded\` | images/s | p50 ms per call | p99 ms per call |
|---|---|---|---|
| batch 1 | $(field images_per_s "$inproc1") | $(field p50_ms "$inproc1") | $(field p99_ms "$inproc1") |
| batch 8 | $(field images_per_s "$inproc8") | $(field p50_ms "$inproc8") | $(field p99_ms "$inproc8") |

| target | measured |
|---|---|
| batching >= 1.5 x unbatched images/s, 8 clients | $(ratio "$ips_batching_8" "$ips_unbatched_8") x |
| server (batching, 8 clients) >= 0.9 x in-process batch 8 | $(ratio "$ips_batching_8" "$(field images_per_s "$inproc8")") x |
EOT
)"
write_report_section "$report" serve-bench "$section"
echo "Wrote the serve section of $report" >&2
