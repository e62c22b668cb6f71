#!/usr/bin/env bash
# Profiler hints from a Java Flight Recorder file: where the CPU samples were, by top frame (self time),
# by library of the top frame, and by the Tenantry method on the stack that led there.
#   bench/jfr-top.sh tenantry-bench/target/bench-run/tenantry-100000.jfr [how many, default 20]
set -eu  # no pipefail: `head` closing its pipe early is fine here
FILE=${1:?usage: bench/jfr-top.sh FILE.jfr [N]}
N=${2:-20}
JFR=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
SAMPLES="${FILE%.jfr}.stacks.txt"
# one line per sample: its frames, innermost first, separated by ' | '
"$JFR" print --events jdk.ExecutionSample --stack-depth 64 "$FILE" | awk '
  /stackTrace = \[/ { inside = 1; s = ""; next }
  inside && /^[ \t]*\]/ { inside = 0; if (s != "") print s; next }
  inside { l = $0; sub(/^[ \t]+/, "", l); sub(/[ \t]+line:.*/, "", l); if (l != "...") s = s (s == "" ? "" : " | ") l }
' > "$SAMPLES"
TOTAL=$(wc -l < "$SAMPLES")
echo "== $TOTAL CPU samples; top frames (self time)"
cut -d'|' -f1 "$SAMPLES" | sed 's/ *$//' | sort | uniq -c | sort -rn | head -"$N"
echo "== by library of the top frame"
cut -d'|' -f1 "$SAMPLES" | sed -E 's/^ *//; s/^((io|org|com|ch|kotlin)\.[a-z0-9]+(\.[a-z0-9]+)?).*/\1/; s/^(java|jdk|sun)\..*/JDK/' \
  | sort | uniq -c | sort -rn | head -"$N"
echo "== by the innermost Tenantry method on the stack (samples without one: $(grep -vc 'io\.tenantry' "$SAMPLES" || true))"
awk -F' \\| ' '{ for (i = 1; i <= NF; i++) if ($i ~ /^io\.tenantry/) { print $i; break } }' "$SAMPLES" \
  | sort | uniq -c | sort -rn | head -"$N"
