#!/usr/bin/env bash
# Runs the benchmarks of issues 3, 4, 5 and 6 and writes docs/BENCHMARKS.md.
#
#   bench/run.sh           everything: Tenantry, Eureka, etcd, span ingestion beside Zipkin and the SDK's JMH
#                          benchmarks (about twelve minutes on 2 cores); prints the table, writes docs/BENCHMARKS.md
#   bench/run.sh --smoke   a few seconds, Tenantry only, report in tenantry-bench/target/bench-smoke/ (for CI)
#                          (both modes include the noisy-neighbour benchmark, ~35 s in full, ~6 s in smoke, and
#                          the policy propagation benchmark, ~55 s in full, ~5 s in smoke)
#   bench/run.sh --ingest  span ingestion alone (~2 min): Tenantry's trace collector beside Zipkin's server
#                          (io.zipkin:zipkin-server:3.6.1:jar:exec, fetched with Maven when missing); replaces
#                          only its section and the notes in docs/BENCHMARKS.md (the full run includes it too;
#                          --smoke leaves it out: Zipkin alone takes ~6 s to start)
#   bench/run.sh --tx      global transactions alone (~9 min): Tenantry's coordinator beside Seata's
#                          (io.seata:seata-server:2.0.0 with its dependencies, and Seata's client in a driver, both
#                          built under bench/peers/seata with Maven when missing), on their file/embedded stores and,
#                          when PostgreSQL answers on 127.0.0.1:5432, on PostgreSQL; replaces only its section and
#                          the notes in docs/BENCHMARKS.md (the full run includes it too; --smoke runs Tenantry's side)
#   bench/run.sh --jmh     the SDK's JMH benchmarks alone (~4 min): replaces only their section, the SDK's lines
#                          among the targets and the notes in docs/BENCHMARKS.md (the full run includes them too)
#   bench/run.sh --report-only   run nothing: write docs/BENCHMARKS.md again from the last full run's results
#                          (after editing bench/NOTES.md, the hand-written analysis it includes); with --ingest
#                          (--tx, --jmh) too: its section and the notes from the last --ingest (--tx, --jmh) run's results
#
# Options after the mode: --no-jmh (skip the SDK benchmarks), --no-peers (Tenantry only), --jfr (record the
# Tenantry and Eureka servers at 100,000 instances, and both span collectors, with Java Flight Recorder, into the
# run's directory under tenantry-bench/target/).
# Every server listens on 127.0.0.1 only; every load is bounded in time and count.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

MODE=full
JMH=yes
PEERS=yes
EXTRA=()
for arg in "$@"; do
  case "$arg" in
    --smoke) MODE=smoke; JMH=no; PEERS=no ;;
    --no-jmh) JMH=no ;;
    --no-peers) PEERS=no ;;
    --jfr) EXTRA+=(--jfr) ;;
    --report-only) case $MODE in ingest) MODE=ingest-report ;; tx) MODE=tx-report ;; jmh) MODE=jmh-report ;; *) MODE=report ;; esac ;;
    --ingest) if [[ $MODE == report ]]; then MODE=ingest-report; else MODE=ingest; JMH=no; fi ;;
    --tx) if [[ $MODE == report ]]; then MODE=tx-report; else MODE=tx; JMH=no; PEERS=no; fi ;;
    --jmh) if [[ $MODE == report ]]; then MODE=jmh-report; else MODE=jmh; PEERS=no; fi ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
say() { printf '\n== %s\n' "$*"; }

if [[ $MODE == report ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-run"
  exec "$JAVA" -jar "$(ls "$ROOT"/tenantry-bench/target/tenantry-bench-*.jar | grep -vE -- "-(sources|tests|javadoc)\\.jar$" | head -1)" --report-only --work "$WORK" \
      --doc "$ROOT/docs/BENCHMARKS.md" --jmh "$WORK/jmh.json" --notes "$ROOT/bench/NOTES.md"
fi
if [[ $MODE == jmh-report ]]; then
  exec "$JAVA" -jar "$(ls "$ROOT"/tenantry-bench/target/tenantry-bench-*.jar | grep -vE -- "-(sources|tests|javadoc)\\.jar$" | head -1)" \
      --splice-jmh --jmh "$ROOT/tenantry-bench/target/bench-jmh/jmh.json" --doc "$ROOT/docs/BENCHMARKS.md" \
      --notes "$ROOT/bench/NOTES.md" --command "bench/run.sh --jmh"
fi
if [[ $MODE == ingest-report || $MODE == tx-report ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-${MODE%-report}"
  exec "$JAVA" -jar "$(ls "$ROOT"/tenantry-bench/target/tenantry-bench-*.jar | grep -vE -- "-(sources|tests|javadoc)\\.jar$" | head -1)" --report-only --work "$WORK" \
      --doc "$ROOT/docs/BENCHMARKS.md" --notes "$ROOT/bench/NOTES.md" --splice
fi

say "building the server and the benchmarks"
mvn -B -q -pl tenantry-bench -am package -DskipTests

BENCH_JAR=$(ls "$ROOT"/tenantry-bench/target/tenantry-bench-*.jar | grep -vE -- '-(sources|tests|javadoc)\.jar$' | head -1)
SERVER_JAR=$(ls "$ROOT"/tenantry-server/target/tenantry-server-*.jar | grep -vE -- '-(sources|tests|javadoc)\.jar$' | head -1)
ARGS=(--server-jar "$SERVER_JAR" --command "$(echo "bench/run.sh $*" | sed "s/ *$//")")

# Zipkin's published server, the peer of the span-ingestion benchmark (not a dependency of any module)
ZIPKIN_VERSION=3.6.1
ZIPKIN_JAR=  # set when the mode runs the ingest benchmark
if [[ $PEERS == yes || $MODE == ingest ]]; then
  ZIPKIN_JAR="$HOME/.m2/repository/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
  if [[ ! -f $ZIPKIN_JAR ]]; then
    say "fetching Zipkin's server $ZIPKIN_VERSION (exec jar) with Maven"
    mvn -B -q dependency:get -DgroupId=io.zipkin -DartifactId=zipkin-server -Dversion=$ZIPKIN_VERSION \
        -Dclassifier=exec -Dtransitive=false
  fi
fi

# Seata's server and a driver with Seata's client, the peers of the transaction benchmark (separate Maven projects)
SEATA_ARGS=()
if [[ $PEERS == yes || $MODE == tx ]]; then
  SEATA_DIR="$ROOT/bench/peers/seata"
  if [[ ! -d $SEATA_DIR/server/target/lib || $SEATA_DIR/server/pom.xml -nt $SEATA_DIR/server/target/lib ]]; then
    say "fetching Seata's server 2.0.0 and its dependencies with Maven"
    rm -rf "$SEATA_DIR/server/target"
    mvn -B -q -f "$SEATA_DIR/server/pom.xml" package
  fi
  SEATA_DRIVER_JAR="$SEATA_DIR/driver/target/seata-tx-driver.jar"
  if [[ ! -f $SEATA_DRIVER_JAR || -n $(find "$SEATA_DIR/driver/src" "$SEATA_DIR/driver/pom.xml" "$BENCH_JAR" \
      -newer "$SEATA_DRIVER_JAR" 2>/dev/null) ]]; then
    say "building Seata's transaction driver (Seata's TM and RM client)"
    mvn -B -q -f "$SEATA_DIR/driver/pom.xml" package
  fi
  # tenantry-bench's classes, not its jar: the jar's manifest would add Tenantry's dependencies to Seata's
  SEATA_ARGS=(--seata-lib "$SEATA_DIR/server/target/lib"
      --seata-driver-cp "$SEATA_DRIVER_JAR:$SEATA_DIR/driver/target/lib/*:$ROOT/tenantry-bench/target/classes")
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
    SEATA_ARGS+=(--tx-postgres jdbc:postgresql://127.0.0.1:5432/)
  fi
fi

if [[ $MODE == tx ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-tx"
  mkdir -p "$WORK"
  say "global transactions: Tenantry's coordinator beside Seata 2.0.0"
  exec "$JAVA" -jar "$BENCH_JAR" "${ARGS[@]}" --systems tx "${SEATA_ARGS[@]}" --work "$WORK" \
      --doc "$ROOT/docs/BENCHMARKS.md" --notes "$ROOT/bench/NOTES.md" --splice ${EXTRA[@]+"${EXTRA[@]}"}
fi

if [[ $MODE == ingest ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-ingest"
  mkdir -p "$WORK"
  say "span ingestion: Tenantry's collector beside Zipkin $ZIPKIN_VERSION"
  exec "$JAVA" -jar "$BENCH_JAR" "${ARGS[@]}" --systems ingest --zipkin-jar "$ZIPKIN_JAR" --work "$WORK" \
      --doc "$ROOT/docs/BENCHMARKS.md" --notes "$ROOT/bench/NOTES.md" --splice ${EXTRA[@]+"${EXTRA[@]}"}
fi

if [[ $PEERS == yes ]]; then
  EUREKA_DIR="$ROOT/bench/peers/eureka"
  EUREKA_JAR="$EUREKA_DIR/target/eureka-peer.jar"
  if [[ ! -f $EUREKA_JAR || -n $(find "$EUREKA_DIR/src" "$EUREKA_DIR/pom.xml" -newer "$EUREKA_JAR" 2>/dev/null) ]]; then
    say "building the Eureka peer (Spring Boot, @EnableEurekaServer)"
    mvn -B -q -f "$EUREKA_DIR/pom.xml" package -DskipTests
  fi
  if ! command -v etcd >/dev/null; then
    say "installing etcd from Debian's packages"
    SUDO=; [[ $(id -u) -ne 0 ]] && SUDO=sudo
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq etcd-server >/dev/null
  fi
  ARGS+=(--systems tenantry,eureka,etcd,ingest,tx --eureka-jar "$EUREKA_JAR" --etcd "$(command -v etcd)"
      --zipkin-jar "$ZIPKIN_JAR" "${SEATA_ARGS[@]}")
fi

if [[ $MODE == smoke ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-smoke"
  ARGS+=(--smoke --systems tenantry,tx --work "$WORK" --doc "$WORK/BENCHMARKS.md")
else
  WORK="$ROOT/tenantry-bench/target/bench-run"
  ARGS+=(--work "$WORK" --doc "$ROOT/docs/BENCHMARKS.md" --notes "$ROOT/bench/NOTES.md")
  mkdir -p "$ROOT/docs"
fi
mkdir -p "$WORK"

if [[ $MODE == jmh ]]; then
  WORK="$ROOT/tenantry-bench/target/bench-jmh"
fi
if [[ $JMH == yes ]]; then
  mkdir -p "$WORK"
  say "JMH: the SDK's governed call beside Resilience4j, Bucket4j and Sentinel (one thread, no network)"
  rm -f "$WORK/jmh.json"
  # the client's default statistics, with tracing off (the path the targets judge), unsampled and at its default
  "$JAVA" -cp "$BENCH_JAR" org.openjdk.jmh.Main 'io.tenantry.bench.jmh.*' -p metrics=stats -p tracing=none,unsampled,default \
      -f 1 -t 1 -prof gc -rf json -rff "$WORK/jmh.json"  # iterations: the benchmarks' annotations
  ARGS+=(--jmh "$WORK/jmh.json")
fi
if [[ $MODE == jmh ]]; then
  exec "$JAVA" -jar "$BENCH_JAR" --splice-jmh --jmh "$WORK/jmh.json" --doc "$ROOT/docs/BENCHMARKS.md" \
      --notes "$ROOT/bench/NOTES.md" --command "bench/run.sh --jmh"
fi

say "registry, watch fan-out and memory${ZIPKIN_JAR:+ (and span ingestion beside Zipkin)} ($MODE)"
exec "$JAVA" -jar "$BENCH_JAR" "${ARGS[@]}" ${EXTRA[@]+"${EXTRA[@]}"}
