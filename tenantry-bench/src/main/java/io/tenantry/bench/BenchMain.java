package io.tenantry.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the control-plane benchmarks and their peers, each server in its own process and a fresh one
 * for every size, this JVM being the load generator; prints the figures and writes the report.
 * Started by {@code bench/run.sh}; {@code --help} lists the options.
 */
public final class BenchMain {
  private static final String USAGE = """
      usage: BenchMain [--smoke] [--systems tenantry,eureka,etcd,ingest,tx] --server-jar JAR [--eureka-jar JAR]
                       [--etcd PATH] [--zipkin-jar JAR] [--seata-lib DIR --seata-driver-cp CP] [--tx-postgres URL]
                       [--work DIR] [--doc FILE] [--jmh FILE] [--notes FILE] [--command TEXT] [--jfr] [--splice]
                       [--levels 1000,10000,100000] [--watchers 1000,5000] [--phase-seconds 4] [--warmup-seconds 40]
       BenchMain --report-only [--work DIR] [--doc FILE] [--jmh FILE] [--notes FILE] [--command TEXT]
       BenchMain --splice-jmh --jmh FILE --doc FILE [--notes FILE] [--command TEXT]
        --smoke        a run of a few seconds (Tenantry only unless --systems says otherwise)
        --systems      which systems to run (default: all three, ingest with --zipkin-jar and tx with --seata-lib;
                       with --smoke: tenantry); tenantry includes the noisy-neighbour benchmark, which "noisy" alone
                       runs by itself; ingest is span ingestion, Tenantry's collector beside Zipkin's (never in
                       smoke); tx is global transactions, Tenantry's coordinator beside Seata's when --seata-lib
                       is given (Tenantry alone otherwise)
        --server-jar   the Tenantry server jar (its dependencies in lib/ beside it)
        --eureka-jar   the Eureka peer's jar (bench/peers/eureka)
        --etcd         the etcd binary (default /usr/bin/etcd)
        --zipkin-jar   Zipkin's server (io.zipkin:zipkin-server:3.6.1:jar:exec), the peer of the ingest benchmark
        --seata-lib    the directory of Seata's server jar and its dependencies (bench/peers/seata/server/target/lib)
        --seata-driver-cp  the class path of Seata's transaction driver (bench/peers/seata/driver)
        --tx-postgres  also run both coordinators on PostgreSQL, each on a database of its own created on this
                       server and dropped after (e.g. jdbc:postgresql://127.0.0.1:5432/, user postgres, trusted)
        --splice       write into --doc only this run's span-ingestion or transaction section and the notes,
                       keeping the rest of the existing report (a run of --systems ingest or tx alone)
        --work         logs, data directories and results.tsv (default target/bench-run)
        --doc          write the report there (e.g. docs/BENCHMARKS.md)
        --jmh          JMH results (JSON) to put into the report
        --notes        a hand-written analysis to put into the report
        --command      the command line to print in the report
        --jfr          record the Tenantry and Eureka servers with Java Flight Recorder at the largest size, both
                       span collectors and every transaction coordinator
        --levels       registry sizes instead of the mode's (memory is measured at the largest)
        --watchers     watcher counts of the fan-out instead of the mode's
        --phase-seconds, --warmup-seconds   how long each registry phase and the warm-up before them run
        --report-only  run nothing: write the report again from DIR/results.tsv (e.g. after editing the notes)
        --splice-jmh   run nothing: write into --doc only the JMH section and the SDK's targets from --jmh (a run
                       of the JMH benchmarks alone), and the notes, keeping the rest of the existing report
      """;

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = parse(args);
    if (o.containsKey("help") || !o.containsKey("server-jar") && !o.containsKey("report-only")
        && !o.containsKey("splice-jmh")) {
      System.out.print(USAGE);
      System.exit(o.containsKey("help") ? 0 : 2);
    }
    if (o.containsKey("splice-jmh")) {
      spliceJmh(o);
      return;
    }
    boolean smoke = o.containsKey("smoke");
    BenchSettings settings = (smoke ? BenchSettings.smoke() : BenchSettings.full())
        .withSizes(integers(o.get("levels")), integers(o.get("watchers")))
        .withPhases(seconds(o.get("warmup-seconds")), seconds(o.get("phase-seconds")));
    List<String> systems = Arrays.asList(o.getOrDefault("systems", smoke ? "tenantry"
        : "tenantry,eureka,etcd" + (o.containsKey("zipkin-jar") ? ",ingest" : "")
            + (o.containsKey("seata-lib") ? ",tx" : "")).split(","));
    Path work = Path.of(o.getOrDefault("work", "target/bench-run")).toAbsolutePath();
    Files.createDirectories(work);
    Path tsv = work.resolve("results.tsv");
    Path conditionsFile = work.resolve("conditions.txt");
    PrintStream log = System.out;
    List<String> problems = new ArrayList<>();
    Results results;
    String conditions;
    if (o.containsKey("report-only")) {
      if (!Files.exists(tsv)) {
        System.err.println("bench: no results of an earlier run in " + work + " (results.tsv): run bench/run.sh"
            + " (or bench/run.sh --ingest) first; --report-only only writes the report again");
        System.exit(2);
      }
      results = new Results(log, null);
      Results.read(tsv).forEach(f -> results.add(f.system(), f.scenario(), f.metric(), f.value(), f.unit()));
      conditions = Files.exists(conditionsFile) ? Files.readString(conditionsFile).trim() : null;
      if (!o.containsKey("command") && Files.exists(work.resolve("command.txt"))) {
        o.put("command", Files.readString(work.resolve("command.txt")).trim());
      }
    } else {
      Files.writeString(work.resolve("command.txt"), o.getOrDefault("command", "bench/run.sh") + "\n");
      Files.writeString(work.resolve("date.txt"), Report.now() + "\n");
      Files.deleteIfExists(tsv);
      results = new Results(log, tsv);
      Servers servers = new Servers(work, List.of(), Path.of(o.get("server-jar")),
          o.containsKey("eureka-jar") ? Path.of(o.get("eureka-jar")) : null,
          Path.of(o.getOrDefault("etcd", "/usr/bin/etcd")));
      long start = System.nanoTime();
      String loadBefore = loadAverage();
      if (systems.contains("tenantry")) {
        guard("tenantry", problems, log, () -> tenantry(servers, settings, results, log, o.containsKey("jfr"), work));
      }
      if (systems.contains("tenantry") || systems.contains("noisy")) {
        guard("noisy-neighbour", problems, log, () -> new NoisyNeighbourBench(smoke ? NoisyNeighbourBench.Settings.smoke()
            : NoisyNeighbourBench.Settings.full(), results, log, work).run());
      }
      if (systems.contains("eureka")) {
        guard("eureka", problems, log, () -> eureka(servers, settings, results, log, o.containsKey("jfr"), work));
      }
      if (systems.contains("etcd")) {
        guard("etcd", problems, log, () -> etcd(servers, settings, results, log));
      }
      if (systems.contains("ingest")) {
        guard("ingest", problems, log, () -> ingest(servers, Path.of(o.getOrDefault("zipkin-jar", "zipkin.jar")),
            results, log, o.containsKey("jfr"), work));
      }
      if (systems.contains("tx")) {
        transactions(o, servers, new TxBench(smoke ? TxBench.Settings.smoke() : TxBench.Settings.full(), results, log),
            problems, log, work);
      }
      log.printf("benchmarks took %.0f s%n", (System.nanoTime() - start) / 1e9);
      conditions = String.format("%.0f s; load average (1, 5, 15 min) %s before, %s after",
          (System.nanoTime() - start) / 1e9, loadBefore, loadAverage());
      Files.writeString(conditionsFile, conditions + "\n");
    }
    Report report = new Report(results.figures(), settings.mode(), o.getOrDefault("command", "bench/run.sh"),
        problems, o.containsKey("jmh") ? Path.of(o.get("jmh")) : null,
        o.containsKey("notes") ? Path.of(o.get("notes")) : null, conditions,
        Files.exists(work.resolve("date.txt")) ? Files.readString(work.resolve("date.txt")).trim() : Report.now());
    log.println();
    log.println(report.table());
    if (o.containsKey("doc")) {
      Path doc = Path.of(o.get("doc"));
      String measured = "Measured " + Files.readString(work.resolve("date.txt")).trim() + " by `"
          + o.getOrDefault("command", "bench/run.sh") + "`, apart from the rest of this report"
          + (conditions == null ? "" : " (" + conditions + ")") + ".";
      boolean tx = results.figures().stream().anyMatch(TxReport::owns);
      Files.writeString(doc, o.containsKey("splice") && Files.exists(doc)
          ? (tx ? report.spliceTx(Files.readString(doc), measured) : report.spliceIngest(Files.readString(doc), measured))
          : report.markdown());
      log.println("wrote " + doc);
    }
    if (!problems.isEmpty()) {
      System.exit(1);
    }
  }

  /** {@code --splice-jmh}: the JMH section and the SDK's targets of --doc from --jmh's results. */
  private static void spliceJmh(Map<String, String> o) throws IOException {
    if (!o.containsKey("jmh") || !o.containsKey("doc") || !Files.exists(Path.of(o.get("jmh")))
        || !Files.exists(Path.of(o.get("doc")))) {
      System.err.println("bench: --splice-jmh needs --jmh FILE (JMH's JSON results) and an existing --doc FILE");
      System.exit(2);
    }
    Path jmh = Path.of(o.get("jmh"));
    String when = Report.format(Files.getLastModifiedTime(jmh).toInstant()); // when JMH wrote them, not now
    Report report = new Report(List.of(), "jmh", o.getOrDefault("command", "bench/run.sh --jmh"), List.of(), jmh,
        o.containsKey("notes") ? Path.of(o.get("notes")) : null, null, when);
    Path doc = Path.of(o.get("doc"));
    String measured = "Measured " + when + " by `" + o.getOrDefault("command", "bench/run.sh --jmh")
        + "`, apart from the rest of this report.";
    Files.writeString(doc, report.spliceJmh(Files.readString(doc), measured));
    System.out.println("wrote " + doc);
  }

  private static void tenantry(Servers servers, BenchSettings s, Results results, PrintStream log, boolean jfr,
      Path work) throws IOException, InterruptedException {
    String key = "tnt_bench_" + UUID.randomUUID().toString().replace("-", "");
    try (ServerProcess p = servers.tenantry("tenantry-registry", key, jfr ? jfr(work, "tenantry-registry") : List.of())) {
      TenantryAdmin admin = new TenantryAdmin(p.address(), key);
      new RegistryBench(new TenantryRegistry(admin, "bench"), new ProcessProbe(p.pid()), results, s.registry(), log)
          .run(s.levels());
    }
    try (ServerProcess p = servers.tenantry("tenantry-watch", key, List.of())) {
      TenantryAdmin admin = new TenantryAdmin(p.address(), key);
      fanout(new TenantryWatch(admin, "bench", key), new ProcessProbe(p.pid()), s, results, log);
    }
    try (ServerProcess p = servers.tenantry("tenantry-policy", key, List.of())) {
      PolicyPropagationBench.run(new TenantryAdmin(p.address(), key), key, new ProcessProbe(p.pid()),
          "smoke".equals(s.mode()) ? PolicyPropagationBench.Settings.smoke() : PolicyPropagationBench.Settings.full(),
          results, log);
    }
  }

  private static void eureka(Servers servers, BenchSettings s, Results results, PrintStream log, boolean jfr,
      Path work) throws IOException, InterruptedException {
    try (ServerProcess p = servers.eureka("eureka-registry", jfr ? jfr(work, "eureka-registry") : List.of())) {
      EurekaRegistry target = new EurekaRegistry(p.address());
      if (s.eurekaVisibilitySamples() > 0) {
        // on the empty registry first, so that the delta the reader polls holds only these
        // spread over Eureka's 30 s response-cache cycle, so that the samples see it at different phases
        new EurekaVisibility(target, results, log).run(s.eurekaVisibilitySamples(), Duration.ofSeconds(5),
            Duration.ofMillis(250), Duration.ofSeconds(70));
      }
      new RegistryBench(target, new ProcessProbe(p.pid()), results, s.registry(), log).run(s.levels());
    }
  }

  private static void etcd(Servers servers, BenchSettings s, Results results, PrintStream log)
      throws IOException, InterruptedException {
    try (ServerProcess p = servers.etcd("etcd")) {
      fanout(new EtcdWatch(p.address()), new ProcessProbe(p.pid()), s, results, log);
    }
  }

  /**
   * Span ingestion: Zipkin and Tenantry, both up for the whole benchmark with the same heap and
   * retention; Tenantry's spans are posted with a namespace key of role service, as an SDK's would be.
   */
  private static void ingest(Servers servers, Path zipkinJar, Results results, PrintStream log, boolean jfr,
      Path work) throws IOException, InterruptedException {
    SpanIngestBench.Settings s = SpanIngestBench.Settings.full();
    List<String> zipkinJvm = new ArrayList<>(s.jvmOptions());
    List<String> tenantryJvm = new ArrayList<>(s.jvmOptions());
    if (jfr) {
      zipkinJvm.addAll(jfr(work, "zipkin-ingest"));
      tenantryJvm.addAll(jfr(work, "tenantry-ingest"));
    }
    String adminKey = "tnt_bench_" + UUID.randomUUID().toString().replace("-", "");
    List<String> traceStorage = List.of("--trace.storage=memory", "--trace.max-spans=" + s.maxSpans());
    try (ServerProcess zipkin = ZipkinServer.start(zipkinJar, work, "zipkin-ingest", s.maxSpans(), zipkinJvm);
        ServerProcess tenantry = servers.tenantry("tenantry-ingest", adminKey, tenantryJvm, traceStorage)) {
      TenantryAdmin admin = new TenantryAdmin(tenantry.address(), adminKey);
      admin.createNamespace("bench");
      String auth = "Bearer " + admin.createKey("bench", "span-ingest", "service");
      SpanCollector ours = SpanCollector.tenantry(tenantry.address(), tenantry.pid(), auth);
      SpanCollector peer = SpanCollector.zipkin(zipkin.address(), zipkin.pid(), auth);
      long nowMicros = System.currentTimeMillis() * 1000;
      new SpanIngestBench(s, results, log).run(List.of(ours, peer), nowMicros | 1, nowMicros - 60_000_000L);
    }
  }

  /**
   * Global transactions: Tenantry's coordinator on its embedded store, Seata's on its file store with its default
   * (async) and with sync flushing, then both on PostgreSQL when {@code --tx-postgres} is given; each system in its
   * own processes, one after the other. A system that fails is reported as {@code tx-<system>: ...}.
   */
  private static void transactions(Map<String, String> o, Servers servers, TxBench bench, List<String> problems,
      PrintStream log, Path work) {
    TxSystems tx = new TxSystems(servers, work, bench, o.containsKey("jfr"));
    String pg = o.get("tx-postgres");
    guard("tx-tenantry", problems, log, () -> tx.tenantry("tenantry", null));
    if (o.containsKey("seata-lib")) {
      Path lib = Path.of(o.get("seata-lib"));
      String cp = o.getOrDefault("seata-driver-cp", "");
      guard("tx-seata", problems, log, () -> tx.seata("seata", lib, cp, List.of(), null));
      guard("tx-seata-sync", problems, log, () -> tx.seata("seata-sync", lib, cp,
          List.of("seata.store.file.flush-disk-mode=sync"), null));
      if (pg != null) {
        guard("tx-seata-db", problems, log, () -> tx.seata("seata-db", lib, cp, List.of(), pg));
      }
    }
    if (pg != null) {
      guard("tx-tenantry-pg", problems, log, () -> tx.tenantry("tenantry-pg", pg));
    }
  }

  /** Visibility with one watcher, an unmeasured warm-up fan-out, then each measured fan-out. */
  private static void fanout(WatchTarget watch, ProcessProbe probe, BenchSettings s, Results results, PrintStream log)
      throws IOException, InterruptedException {
    new FanoutBench(watch, probe, results, s.visibility(), log).run("visibility", "visible", 1);
    log.println(watch.system() + ": warming up the fan-out (not measured)");
    Results discarded = new Results(new PrintStream(OutputStream.nullOutputStream()), null);
    new FanoutBench(watch, probe, discarded, s.fanoutWarmup(), log).run("warmup", "warmup", s.fanoutWarmupWatchers());
    for (int w : s.watchers()) {
      new FanoutBench(watch, probe, results, s.fanout(), log).run("fanout@" + w, "fanout-" + w, w);
    }
  }

  /** JVM options that record the whole life of a server with Java Flight Recorder into {@code work/<name>.jfr}. */
  static List<String> jfr(Path work, String name) {
    return List.of("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr")
        + ",settings=profile,dumponexit=true");
  }

  /** The first three fields of /proc/loadavg: how busy the machine was, with other work than ours too. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** A benchmark body that may fail. */
  private interface Body {
    void run() throws Exception;
  }

  /** Runs one system's benchmarks; a failure is reported and the others still run. */
  private static void guard(String system, List<String> problems, PrintStream log, Body body) {
    try {
      body.run();
    } catch (Exception e) {
      String problem = system + ": " + e;
      problems.add(problem);
      log.println("FAILED " + problem);
      e.printStackTrace(log);
    }
  }

  private static Duration seconds(String value) {
    return value == null ? null : Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
  }

  private static List<Integer> integers(String commaSeparated) {
    return commaSeparated == null ? null : Arrays.stream(commaSeparated.split(",")).map(String::trim)
        .map(Integer::valueOf).toList();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("argument: " + args[i] + " (expected: --option)");
      }
      String name = args[i].substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        o.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (Arrays.asList("smoke", "jfr", "help", "report-only", "splice", "splice-jmh").contains(name)) {
        o.put(name, "true");
      } else if (i + 1 < args.length) {
        o.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
    }
    return o;
  }
}
