# Sourced by the benchmark scripts (bench.sh, bench-serve.sh): each one owns a section of
# docs/benchmarks.md between its own markers and rewrites only that section.
#
#   source "$root/scripts/lib/report-section.sh"
#   write_report_section docs/benchmarks.md serve-bench "$section_text"
#
# The section is written between "<!-- NAME:start -->" and "<!-- NAME:end -->" lines: in place of
# the old section when the file has those markers, at the end of the file otherwise (a file that
# does not exist yet starts with a "# Benchmarks" title). Everything outside the markers is kept
# byte for byte, hand-written sections and other scripts' sections included.

write_report_section() { # $1 = report file, $2 = section name, $3 = section text (no markers)
  local report="$1" name="$2" text="$3"
  local start="<!-- $name:start -->" end="<!-- $name:end -->"
  local body tmp
  body="$(mktemp)"
  tmp="$(mktemp)"
  printf '%s\n%s\n%s\n' "$start" "$text" "$end" >"$body"
  if [[ ! -f "$report" ]]; then
    mkdir -p "$(dirname "$report")"
    printf '# Benchmarks\n' >"$report"
  fi
  if grep -qxF "$start" "$report"; then
    if ! grep -qxF "$end" "$report"; then
      echo "$report has \"$start\" but no \"$end\" line: fix the file by hand" >&2
      rm -f "$body" "$tmp"
      return 1
    fi
    # Copy the file, replacing the lines from the start marker to the end marker with the body.
    awk -v start="$start" -v end="$end" -v body="$body" '
      $0 == start { while ((getline line < body) > 0) print line; skipping = 1; next }
      skipping && $0 == end { skipping = 0; next }
      !skipping { print }
    ' "$report" >"$tmp"
  else
    cat "$report" >"$tmp"
    [[ -s "$tmp" && -n "$(tail -c1 "$tmp")" ]] && echo >>"$tmp"
    [[ -s "$tmp" ]] && echo >>"$tmp"
    cat "$body" >>"$tmp"
  fi
  cat "$tmp" >"$report"
  rm -f "$body" "$tmp"
}
