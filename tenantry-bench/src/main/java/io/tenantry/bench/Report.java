package io.tenantry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a run's figures into a table with each peer's figure beside Tenantry's and their ratio, a list
 * of the targets of issue 3 met or missed, and the whole report in Markdown with the date, JDK,
 * machine and command. Immutable.
 */
final class Report {
  /** Figures that are bookkeeping rather than results: left out of the table unless they say something. */
  private static final Set<String> QUIET = Set.of("ops", "server_cores", "jit_cores", "driver_cores", "changes", "p50_ms");
  private static final Set<String> ONLY_IF_NONZERO = Set.of("errors", "missed", "dropped_streams");

  private final List<Figure> figures;
  private final String mode;
  private final String command;
  private final List<String> problems;
  private final List<JmhRow> jmh;
  private final String notes;
  private final String conditions;
  private final String date;

  /**
   * @param conditions how long the run took and how busy the machine was, or null
   * @param date       when the figures were measured ({@link #now()} format)
   */
  Report(List<Figure> figures, String mode, String command, List<String> problems, Path jmhJson, Path notes,
      String conditions, String date) throws IOException {
    this.conditions = conditions;
    this.date = date;
    this.figures = List.copyOf(figures);
    this.mode = mode;
    this.command = command;
    this.problems = List.copyOf(problems);
    this.jmh = jmhJson != null && Files.exists(jmhJson) ? JmhRow.read(jmhJson) : List.of();
    this.notes = notes != null && Files.exists(notes) ? Files.readString(notes, StandardCharsets.UTF_8) : null;
  }

  /** One line of the comparison: Tenantry's figure and, where a peer measured the same, the peer's. */
  record Row(String scenario, String metric, Figure tenantry, Figure peer) {
    boolean lowerIsBetter() {
      return metric.endsWith("_ms") || metric.endsWith("_mb") || metric.endsWith("_s") && !metric.contains("per")
          || metric.equals("bytes_per_instance") || ONLY_IF_NONZERO.contains(metric);
    }

    /** How many times better Tenantry is (above 1) or worse (below 1); NaN without a peer. */
    double advantage() {
      if (peer == null || tenantry == null || tenantry.value() == 0 || peer.value() == 0) {
        return Double.NaN;
      }
      return lowerIsBetter() ? peer.value() / tenantry.value() : tenantry.value() / peer.value();
    }

    String advantageText() {
      double a = advantage();
      if (Double.isNaN(a)) {
        return "";
      }
      return Figure.format(a) + "×" + (a >= 1 ? "" : " (behind)");
    }
  }

  /** Tenantry's figures, each beside every peer that measured the same (one row per peer), then the peers' own. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Figure f : figures) {
      if (!f.system().equals("tenantry") || QUIET.contains(f.metric())
          || f.scenario().startsWith(NoisyNeighbourBench.SCENARIO_PREFIX) || policySection(f)
          || SpanIngestReport.owns(f) || TxReport.owns(f)) { // own sections
        continue;
      }
      List<Figure> peers = peers(f);
      if (ONLY_IF_NONZERO.contains(f.metric()) && f.value() == 0 && peers.stream().allMatch(p -> p.value() == 0)) {
        continue;
      }
      if (peers.isEmpty()) {
        rows.add(new Row(f.scenario(), f.metric(), f, null));
      }
      peers.forEach(p -> rows.add(new Row(f.scenario(), f.metric(), f, p)));
    }
    for (Figure f : figures) {
      if (!f.system().equals("tenantry") && !SpanIngestReport.owns(f) && !TxReport.owns(f) && find("tenantry", f.scenario(), f.metric()).isEmpty()
          && !QUIET.contains(f.metric()) && !(ONLY_IF_NONZERO.contains(f.metric()) && f.value() == 0)) {
        rows.add(new Row(f.scenario(), f.metric(), null, f));
      }
    }
    return rows;
  }

  /** True for the figures of the policy propagation section. */
  private static boolean policySection(Figure f) {
    return f.scenario().startsWith("policy@") || f.scenario().equals(BlueGreenSwitchBench.SCENARIO);
  }

  /** The policy propagation section, or nothing if it did not run. */
  private String policyMarkdown() {
    if (figures.stream().noneMatch(Report::policySection)) {
      return "";
    }
    return "## Policy propagation (issue 4)\n\n" + POLICY_METHOD + PolicyPropagationBench.markdown(figures) + "\n";
  }

  private static final String POLICY_METHOD = """
      The control plane in its own process; N real SDK clients (`TenantryClient`, each with its own watch
      stream, control-plane HTTP client and threads, as N processes would have) in the load generator's JVM,
      all serving the governed service. A rate-limit policy of that service is written again and again with
      alternating contents, 200 ms apart (the first five not counted). Per change: from just before its PUT is
      sent to the moment the last client (`last`) and each client (`each`) has applied it, observed through
      `TenantryClient.subscribePolicies` (called after the SDK has compiled the change into its door). All N
      clients share the two cores with the control plane: each change costs N times one client's apply
      (`SDK CPU per change applied`) at once. Then a route switched under load: one caller calling
      without pause while a route policy flips its traffic between two instances (blue, green), 20 times.

      """;

  /** The last figure of each peer for the same scenario and metric as {@code f}. */
  private List<Figure> peers(Figure f) {
    java.util.Map<String, Figure> last = new java.util.LinkedHashMap<>();
    figures.stream().filter(p -> !p.system().equals("tenantry") && p.scenario().equals(f.scenario())
        && p.metric().equals(f.metric())).forEach(p -> last.put(p.system(), p));
    return List.copyOf(last.values());
  }

  private Optional<Figure> find(String system, String scenario, String metric) {
    return figures.stream().filter(p -> p.system().equals(system) && p.scenario().equals(scenario)
        && p.metric().equals(metric)).reduce((a, b) -> b);
  }

  /** The comparison as fixed-width text, for the terminal. */
  String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-26s %-22s %12s %8s %12s %14s%n", "scenario", "metric", "tenantry", "peer",
        "peer value", "tenantry vs peer"));
    for (Row r : rows()) {
      b.append(String.format(Locale.ROOT, "%-26s %-22s %12s %8s %12s %14s%n", r.scenario(), r.metric(),
          r.tenantry() == null ? "-" : Figure.format(r.tenantry().value()),
          r.peer() == null ? "" : r.peer().system(), r.peer() == null ? "" : Figure.format(r.peer().value()),
          r.advantageText()));
    }
    for (JmhRow j : jmh) {
      b.append(String.format(Locale.ROOT, "%-49s %12s ns/op %12s B/op%n", "jmh " + j.name(), Figure.format(j.nsPerOp()),
          Double.isNaN(j.bytesPerOp()) ? "-" : Figure.format(j.bytesPerOp())));
    }
    b.append(NoisyNeighbourBench.markdown(figures));
    b.append(policyMarkdown());
    b.append(SpanIngestReport.markdown(figures, null));
    b.append(TxReport.markdown(figures, null, problems));
    b.append(System.lineSeparator());
    targets().forEach(t -> b.append(t).append(System.lineSeparator()));
    return b.toString();
  }

  /** The targets of issue 3, each MET or MISSED with its figures; a target without figures is NOT MEASURED. */
  List<String> targets() {
    List<String> out = new ArrayList<>();
    Set<String> levels = new java.util.TreeSet<>();
    Pattern level = Pattern.compile("@(\\d+)$");
    for (Figure f : figures) {
      Matcher m = level.matcher(f.scenario());
      if (f.scenario().startsWith("heartbeat@") && m.find()) {
        levels.add(m.group(1));
      }
    }
    for (String n : levels) {
      for (String phase : List.of("register.new", "register.again", "heartbeat")) {
        String scenario = phase + "@" + n;
        out.add(ratioTarget(scenario + " per server CPU-second >= 2x Eureka", scenario, "ops_per_cpu_s", 2.0));
        out.add(ratioTarget(scenario + " raw throughput ahead of Eureka", scenario, "ops_per_s", 1.0));
      }
    }
    out.add(limitTarget("fanout@1000 p99 (change to last watcher) < 100 ms", "fanout@1000", "last_p99_ms", 100));
    out.add(peerLimitTarget("fanout@5000 p99 no slower than etcd", "fanout@5000", "last_p99_ms"));
    out.add(limitTarget("100,000 instances in < 512 MB heap", "memory@100000", "heap_mb", 512));
    out.add(limitTarget("policy@100 p99 (change to last SDK) < 1 s", "policy@100", "last_p99_ms", 1000));
    out.add(limitTarget("policy@1000 p99 (change to last SDK) < 1 s", "policy@1000", "last_p99_ms", 1000));
    out.add(limitTarget("route switched under load: no failed call", BlueGreenSwitchBench.SCENARIO, "failed", 1));
    Optional<JmhRow> sdk = sdkRow("tenantryGoverned");
    if (sdk.isEmpty()) {
      out.add("NOT MEASURED  SDK governed call < 400 ns and < 100 B per call");
    } else {
      JmhRow t = sdk.get();
      out.add(verdict(t.nsPerOp() < 400 && t.bytesPerOp() < 100, "SDK governed call < 400 ns and < 100 B per call",
          Figure.format(t.nsPerOp()) + " ns, " + Figure.format(t.bytesPerOp()) + " B"));
      jmh("sentinel").ifPresent(p -> out.add(verdict(t.nsPerOp() < p.nsPerOp(), "SDK faster than Sentinel with rules",
          Figure.format(t.nsPerOp()) + " ns vs " + Figure.format(p.nsPerOp()) + " ns")));
      jmh("resilience4jBucket4j").ifPresent(p -> out.add(verdict(t.nsPerOp() <= 2 * p.nsPerOp(),
          "SDK within 2x of Resilience4j + Bucket4j", Figure.format(t.nsPerOp()) + " ns vs "
              + Figure.format(p.nsPerOp()) + " ns = " + Figure.format(t.nsPerOp() / p.nsPerOp()) + "x"
              + sdkRow("tenantryGovernedCallerOnly").map(c -> " (the caller's side alone, whose rate limit is at the"
                  + " callee's door: " + Figure.format(c.nsPerOp()) + " ns = " + Figure.format(c.nsPerOp() / p.nsPerOp())
                  + "x)").orElse(""))));
    }
    return out;
  }

  /**
   * The SDK's row held to the targets: the governed path the issue names (tenant context, route, balancing, rate
   * limit, breaker, metrics) as a client runs it by default, statistics on, without tracing, which neither the
   * issue nor the peers' chains include (its rows are reported beside); a row without parameters if there is none.
   */
  private Optional<JmhRow> sdkRow(String benchmark) {
    String name = "GovernedCallBenchmark." + benchmark;
    return jmh.stream().filter(j -> j.name().equals(name + " " + SDK_TARGET_PARAMS)).findFirst()
        .or(() -> jmh.stream().filter(j -> j.name().equals(name)).findFirst());
  }

  static final String SDK_TARGET_PARAMS = "[metrics=stats, tracing=none]";

  /** The JMH result whose method name starts with {@code prefix}, exactly when there are several. */
  private Optional<JmhRow> jmh(String prefix) {
    return jmh.stream().filter(j -> j.name().endsWith("." + prefix)).findFirst()
        .or(() -> jmh.stream().filter(j -> j.name().substring(j.name().indexOf('.') + 1).startsWith(prefix)).findFirst());
  }

  private String ratioTarget(String label, String scenario, String metric, double factor) {
    Optional<Figure> t = find("tenantry", scenario, metric);
    Optional<Figure> p = find("eureka", scenario, metric);
    if (t.isEmpty() || p.isEmpty()) {
      return "NOT MEASURED  " + label;
    }
    double ratio = t.get().value() / p.get().value();
    return verdict(ratio >= factor, label, Figure.format(t.get().value()) + " vs " + Figure.format(p.get().value())
        + " = " + Figure.format(ratio) + "x");
  }

  private String limitTarget(String label, String scenario, String metric, double limit) {
    Optional<Figure> t = find("tenantry", scenario, metric);
    if (t.isEmpty()) {
      return "NOT MEASURED  " + label;
    }
    return verdict(t.get().value() < limit, label, Figure.format(t.get().value()) + " " + t.get().unit());
  }

  private String peerLimitTarget(String label, String scenario, String metric) {
    Optional<Figure> t = find("tenantry", scenario, metric);
    Optional<Figure> p = find("etcd", scenario, metric);
    if (t.isEmpty() || p.isEmpty()) {
      return "NOT MEASURED  " + label;
    }
    return verdict(t.get().value() <= p.get().value(), label, Figure.format(t.get().value()) + " ms vs etcd "
        + Figure.format(p.get().value()) + " ms");
  }

  private static String verdict(boolean met, String label, String figures) {
    return (met ? "MET           " : "MISSED        ") + label + ": " + figures;
  }

  /** The time now as the report shows it: {@code 2026-11-24 14:44 UTC}. */
  static String now() {
    return format(java.time.Instant.now());
  }

  /** {@code instant} as the report shows a time: {@code 2026-11-24 14:44 UTC}. */
  static String format(java.time.Instant instant) {
    return instant.atZone(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16)
        .replace('T', ' ') + " UTC";
  }

  /** The whole report, for docs/BENCHMARKS.md. */
  String markdown() throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmarks\n\n");
    b.append("Generated by `bench/run.sh` (do not edit by hand: run it again). Mode: **").append(mode).append("**.\n\n");
    b.append("| | |\n|---|---|\n");
    b.append("| date | ").append(date).append(" |\n");
    b.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (servers and load generator alike) |\n");
    b.append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores (nproc), ")
        .append(cpuModel()).append(", ").append(memTotal()).append(", ").append(System.getProperty("os.name"))
        .append(' ').append(System.getProperty("os.version")).append(" |\n");
    b.append("| command | `").append(command).append("` |\n");
    if (conditions != null) {
      b.append("| server benchmarks | ").append(conditions).append(" |\n");
    }
    b.append('\n');
    if (!problems.isEmpty()) {
      b.append("**Parts of this run failed:**\n\n");
      problems.forEach(p -> b.append("- ").append(p.replace('\n', ' ')).append('\n'));
      b.append('\n');
    }
    b.append("## Targets of issue 3\n\n```\n");
    targets().forEach(t -> b.append(t).append('\n'));
    b.append("```\n\n");
    b.append(METHOD);
    b.append("## Figures\n\n");
    b.append("\"vs peer\" is how many times better Tenantry is (above 1×) or behind (below 1×), whichever way is ")
        .append("better for that metric (more per second, fewer milliseconds or megabytes).\n\n");
    b.append("| scenario | metric | Tenantry | peer | peer's figure | Tenantry vs peer |\n|---|---|---:|---|---:|---:|\n");
    for (Row r : rows()) {
      String unit = r.tenantry() != null ? r.tenantry().unit() : r.peer().unit();
      b.append("| ").append(r.scenario()).append(" | ").append(r.metric()).append(unit.isEmpty() ? "" : " (" + unit + ")")
          .append(" | ").append(r.tenantry() == null ? "-" : Figure.format(r.tenantry().value()))
          .append(" | ").append(r.peer() == null ? "" : r.peer().system())
          .append(" | ").append(r.peer() == null ? "" : Figure.format(r.peer().value()))
          .append(" | ").append(r.advantageText()).append(" |\n");
    }
    b.append('\n');
    if (!jmh.isEmpty()) {
      b.append(jmhMarkdown(null));
    }
    b.append(NoisyNeighbourBench.markdown(figures));
    b.append(policyMarkdown());
    b.append(SpanIngestReport.markdown(figures, null));
    b.append(TxReport.markdown(figures, null, problems));
    if (notes != null) {
      b.append(notes.strip()).append("\n");
    }
    return b.toString();
  }

  /**
   * {@code existing} (a whole report) with only the span-ingestion section replaced by this run's (or
   * added before the notes) and the notes replaced by the current ones; {@code measured} says in the
   * section when and how it ran, since the report's header is another run's.
   */
  String spliceIngest(String existing, String measured) {
    return splice(existing, SpanIngestReport.HEADING, SpanIngestReport.markdown(figures, measured));
  }

  static final String JMH_HEADING = "## SDK per-call cost (JMH, one thread, no network)";

  /** The JMH section; {@code measured} (or null) says when and how it ran when that was apart from the rest. */
  private String jmhMarkdown(String measured) {
    StringBuilder b = new StringBuilder(JMH_HEADING).append("\n\n");
    if (measured != null) {
      b.append(measured).append("\n\n");
    }
    b.append(JMH_METHOD);
    b.append("| benchmark | ns/op | ± | B/op |\n|---|---:|---:|---:|\n");
    for (JmhRow j : jmh) {
      b.append("| ").append(j.name()).append(" | ").append(Figure.format(j.nsPerOp())).append(" | ")
          .append(Figure.format(j.error())).append(" | ")
          .append(Double.isNaN(j.bytesPerOp()) ? "-" : Figure.format(j.bytesPerOp())).append(" |\n");
    }
    return b.append('\n').toString();
  }

  /**
   * {@code existing} with only the JMH section and the SDK's lines among the targets replaced by this run's
   * ({@code bench/run.sh --jmh}), and the notes replaced by the current ones.
   */
  String spliceJmh(String existing, String measured) {
    List<String> sdkTargets = targets().stream().filter(Report::sdkTarget).toList();
    StringBuilder kept = new StringBuilder();
    boolean placed = false;
    for (String line : existing.split("\n", -1)) {
      if (sdkTargets.isEmpty() || !sdkTarget(line)) {
        kept.append(line).append('\n');
      } else if (!placed) {
        sdkTargets.forEach(t -> kept.append(t).append('\n'));
        placed = true;
      }
    }
    return splice(kept.substring(0, kept.length() - 1), JMH_HEADING, jmhMarkdown(measured));
  }

  /** A line of the targets about the SDK's per-call cost. */
  private static boolean sdkTarget(String line) {
    return line.matches("(MET|MISSED|NOT MEASURED) +SDK .*");
  }

  /** The same for the transaction section ({@code bench/run.sh --tx}). */
  String spliceTx(String existing, String measured) {
    return splice(existing, TxReport.HEADING, TxReport.markdown(figures, measured, problems));
  }

  /**
   * {@code existing} with the section under {@code heading} replaced by {@code section} where it stands (or added
   * before the notes), and the notes replaced by the current ones.
   */
  private String splice(String existing, String heading, String section) {
    String head = existing;
    if (notes != null) {
      int at = head.indexOf(notes.strip().lines().findFirst().orElse("\u0000"));
      if (at >= 0) {
        head = head.substring(0, at);
      }
    }
    int start = head.indexOf(heading);
    if (start >= 0) {
      int end = head.indexOf("\n## ", start + heading.length());
      head = head.substring(0, start) + section + (end < 0 ? "" : head.substring(end + 1));
    } else {
      head = head.stripTrailing() + "\n\n" + section;
    }
    return head.stripTrailing() + "\n\n" + (notes == null ? "" : notes.strip() + "\n");
  }

  private static final String METHOD = """
      ## How it is measured

      - Every server runs in its own process on 127.0.0.1 with JVM defaults for both Java servers; the load
        generator is this JVM, on the same two cores. Throughput is given per wall second and **per server
        CPU-second** (the server's user + system time from `/proc/<pid>/stat` over the phase, every thread
        of it: request handling, GC and JIT compilers alike), since the load generator takes its share of
        the cores; `driver_cores` in results.tsv says how much it took.
      - Warm-up: a server runs for days, so the figures are of a warm server. Each registry process first
        gets 40 s of unmeasured mixed load (register, heartbeat, batch heartbeat where there is one, read)
        on 1,000 instances of its own, deregistered after it; without it, C2 compilation took about one
        core of Eureka's two during the first minute. Each fan-out process gets an unmeasured fan-out
        of 1,000 watchers first.
      - Sizes: one registry process per system grows through 1,000, 10,000 and 100,000 instances;
        `register.new@N` registers the instances that bring it to N.
      - Registry load: 64 keep-alive HTTP/1.1 connections over plain sockets, each sending its next request
        as soon as the last is answered. Instances are laid out ten to a service, with the same data for
        Tenantry (`PUT .../instances/{id}`) and Eureka (`POST /eureka/apps/{APP}`, the JSON its client
        sends). `register.new`: first registrations up to N; `register.again`: registering all N
        again (what a restarted client or Eureka's re-registration does); `heartbeat`: renewing one lease
        per request (`POST .../heartbeat` vs `PUT /eureka/apps/{APP}/{id}`); `heartbeat.batch100`:
        Tenantry's batch renewal, 100 instances a request (Eureka has none); `read`: one service's
        instances (`GET .../instances` vs `GET /eureka/apps/{APP}`). Phases after the first run 4 s each.
      - Memory: `jcmd <pid> GC.run` then `GC.heap_info` (heap used after a full collection) and VmRSS from
        `/proc/<pid>/status`, with all instances of the largest size registered.
      - Watch fan-out: W watchers each hold their own stream (Tenantry: one SSE stream per watcher on one
        service; etcd: one `POST /v3/watch` stream per watcher through its HTTP gateway on a key prefix),
        read by one selector thread; then 40 changes 200 ms apart (Tenantry: registering a new instance;
        etcd: putting a new key). `last_*`: from just before a change's request is sent to the moment the
        last watcher has it, over the changes; `each_*`: over every single delivery.
      - Visibility: how long a new registration takes to reach a reader: for Tenantry (and etcd, a put),
        one watcher; for Eureka, six registrations 5 s apart (across its 30 s response-cache cycle) and a
        reader polling `GET /eureka/apps/delta` every 250 ms (a Eureka client polls every 30 s by default,
        which adds up to 30 s more).

      """;

  private static final String JMH_METHOD = """
      Every call goes through the same stub transport, a `java.net.http.HttpClient` that answers 200 at
      once (`StubHttpClient`), with one prebuilt request. Discovery and policies are real: an in-process
      control plane holds three instances of `payment`, the tenant `globex` (tier standard) and three policies
      of `payment` (a route rule the call matches, a resilience policy with retry budget, circuit breaker,
      outlier ejection and a per-tenant bulkhead, and a rate limit per tenant); the calling client (`order`)
      and the callee's client (`payment`) learn them through their watch streams during set-up, and every
      measured call is decided from their caches. `tenantryGoverned`: both sides of one call for `globex`:
      `TenantContext.enter`, the caller's `Governor.begin` (route rule, ejection-filtered candidates, power
      of two choices, breaker, retry budget), the chosen instance's target URI, the callee's
      `ServiceDoor.enter` (tenant check, the tenant's token bucket, its bulkhead), the stub send, then
      `ServiceDoor.exit` and `GovernedCall.end` (breaker, ejection and balancer bookkeeping, counters).
      `tenantryGovernedCallerOnly`: the caller's side alone. `tenantryGovernedHttp`: the same call through
      `client.http().send(...)`, which also builds the outbound `HttpRequest` for the chosen instance
      (the JDK's request is immutable: a new one per attempt). `bare`: the stub alone; `bareWithRequestBuilt`:
      with the request built per call as any client aiming at a chosen instance must; `resilience4j`: retry ∘
      circuit breaker ∘ rate limiter decorators; `resilience4jBucket4j`: retry ∘ circuit breaker with a
      Bucket4j bucket as the limiter; `sentinel`: `SphU.entry`/`exit` with a QPS flow rule and an
      exception-ratio degrade rule. No limit is reached. B/op counts every allocation of the call, the stub's
      48-byte response included. Both Tenantry clients report their per-tenant statistics (`metrics=stats`, the
      default) and trace as `tracing` says: `none` (no spans; trace context, baggage and the MDC's tenant and ids
      still pass), `unsampled` (every call a root that is not sampled: trace ids made and carried), `default` (10%
      of roots sampled and exported to the control plane, which runs in the same JVM: its ingestion is in these
      figures). The targets judge `tracing=none`: the path the issue names (tenant context, route, balancing, rate
      limit, breaker, metrics), which is also all that the peers' chains do. JMH 1.37, `-f 1 -t 1 -prof gc`, 3
      (Sentinel: 8) warm-up and 5 measured iterations of 1 s.

      """;


  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memTotal() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1048576.0) + " GiB RAM").findFirst()
          .orElse("");
    } catch (IOException e) {
      return "";
    }
  }
}
