package io.tenantry.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transaction section of the report: how it was measured, how durable each coordinator's log is when it
 * answers, every system's figures, Tenantry's ratios to Seata on the same kind of store, and the bar of issue 6
 * met or missed. Stateless.
 */
final class TxReport {
  /** The heading of the section. */
  static final String HEADING = "## Global transactions beside Seata (issue 6)";

  /** What the run's problems of this benchmark start with: {@code tx-seata: ...}. */
  static final String PROBLEM_PREFIX = "tx-";
  /** The systems of the benchmark in the table's order, each with its store. */
  static final Map<String, String> SYSTEMS = new LinkedHashMap<>();
  /** How durable each system's log is when it answers a begin or a commit. */
  static final Map<String, String> DURABILITY = new LinkedHashMap<>();
  /** Tenantry's system and the Seata system on the same kind of store: the ratios of the table. */
  static final Map<String, String> PAIRS = new LinkedHashMap<>();

  static {
    SYSTEMS.put("tenantry", "Tenantry, embedded H2 store");
    SYSTEMS.put("seata", "Seata 2.0.0, file store (its default, `flushDiskMode` async)");
    SYSTEMS.put("seata-sync", "Seata 2.0.0, file store, `flushDiskMode` sync");
    SYSTEMS.put("tenantry-pg", "Tenantry, PostgreSQL store");
    SYSTEMS.put("seata-db", "Seata 2.0.0, db store on PostgreSQL");
    DURABILITY.put("tenantry", "Tenantry, embedded H2: every decision (begin, branch, commit, …) is decided in "
        + "memory and appended to the coordinator's journal (one `FileChannel.write` shared by every caller waiting,"
        + " group commit) before the answer and before phase two, i.e. it is in the operating system's page cache;"
        + " the H2 tables are written behind every 100 ms with the journal position they cover, and a restart "
        + "applies the journal past it. No fsync: a crash of the control plane loses nothing, a crash of the "
        + "machine may lose the last decisions. As durable as Seata's file store with its default async flushing.");
    DURABILITY.put("tenantry-pg", "Tenantry, PostgreSQL (`synchronous_commit=on`): a group-commit log writer (four "
        + "lanes) writes the tables; its batch's commit returns once PostgreSQL has flushed its WAL, before the answer "
        + "and before phase two.");
    DURABILITY.put("seata", "Seata, file store, `store.file.flushDiskMode=async` (its default; any other value but "
        + "`sync` means async too): each session record is written to the log file with `FileChannel.write` under a "
        + "lock before the answer, i.e. it is in the operating system's page cache; a background thread calls "
        + "`FileChannel.force` only once 10 records are unflushed or 2 s have passed (`FileTransactionStoreManager`,"
        + " seata-server 2.0.0). A crash of the Seata process loses nothing; a crash of the machine or a power loss"
        + " loses the decisions of up to the last 2 s, answered as done.");
    DURABILITY.put("seata-sync", "Seata, file store, `flushDiskMode=sync`: the request thread waits for the writer "
        + "thread's `force` (fsync), but at most 2 s (`waitForFlush(2000)`), then answers anyway.");
    DURABILITY.put("seata-db", "Seata, db store on PostgreSQL (`synchronous_commit=on`): each session row is "
        + "committed, its WAL flushed, before the answer.");
    PAIRS.put("tenantry", "seata");
    PAIRS.put("tenantry-pg", "seata-db");
  }

  private TxReport() {}

  /** The figures of this benchmark: the report gives them their own section. */
  static boolean owns(Figure f) {
    return f.scenario().startsWith(TxBench.SCENARIO_PREFIX);
  }

  /**
   * The section, or nothing if the benchmark did not run; {@code measured} says when and how it ran when that
   * differs from the report's header (null otherwise); {@code problems} the run's failures (those of this
   * benchmark, {@code tx-<system>: ...}, say why a system was not measured).
   */
  static String markdown(List<Figure> figures, String measured, List<String> problems) {
    List<String> failures = problems.stream().filter(p -> p.startsWith(PROBLEM_PREFIX)).toList();
    List<String> systems = SYSTEMS.keySet().stream().filter(s -> figures.stream().anyMatch(f -> owns(f)
        && f.system().equals(s))).toList();
    if (systems.isEmpty() && failures.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(HEADING).append("\n\n");
    if (measured != null) {
      b.append(measured).append("\n\n");
    }
    b.append(METHOD);
    b.append("How durable each log is when it answers:\n\n");
    DURABILITY.forEach((system, text) -> {
      if (systems.contains(system)) {
        b.append("- ").append(text).append('\n');
      }
    });
    b.append('\n');
    if (!failures.isEmpty()) {
      b.append("Not measured:\n\n");
      failures.forEach(f -> b.append("- ").append(f.replace('\n', ' ')).append('\n'));
      b.append('\n');
    }
    b.append("| transactions @ client threads | system | tx/s | tx per server CPU-s | p50 ms | p99 ms | server cores "
        + "| driver cores | errors |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (String scenario : scenarios(figures)) {
      for (String system : systems) {
        if (find(figures, system, scenario, "tx_per_s").isEmpty()) {
          continue;
        }
        b.append("| ").append(scenario.substring(TxBench.SCENARIO_PREFIX.length())).append(" | ")
            .append(SYSTEMS.get(system));
        for (String metric : List.of("tx_per_s", "tx_per_cpu_s", "p50_ms", "p99_ms", "server_cores", "driver_cores",
            "errors")) {
          b.append(" | ").append(find(figures, system, scenario, metric).map(f -> Figure.format(f.value())).orElse("-"));
        }
        b.append(" |\n");
      }
    }
    b.append('\n');
    List<String> ratios = new ArrayList<>();
    PAIRS.forEach((ours, peer) -> {
      if (systems.contains(ours) && systems.contains(peer)) {
        for (String scenario : scenarios(figures)) {
          Optional<Double> rate = ratio(figures, ours, peer, scenario, "tx_per_s");
          Optional<Double> cpu = ratio(figures, ours, peer, scenario, "tx_per_cpu_s");
          if (rate.isPresent() || cpu.isPresent()) {
            ratios.add("| " + scenario.substring(TxBench.SCENARIO_PREFIX.length()) + " | " + ours + " / " + peer
                + " | " + rate.map(r -> Figure.format(r) + "×").orElse("-") + " | "
                + cpu.map(r -> Figure.format(r) + "×").orElse("-") + " |");
          }
        }
      }
    });
    if (!ratios.isEmpty()) {
      b.append("| transactions @ client threads | Tenantry / Seata | tx/s | tx per server CPU-s |\n|---|---|---:|---:|\n");
      ratios.forEach(r -> b.append(r).append('\n'));
      b.append('\n');
    }
    b.append("```\n");
    targets(figures).forEach(t -> b.append(t).append('\n'));
    b.append("```\n\n");
    return b.toString();
  }

  /**
   * The bar of issue 6: at 1, 16 and 64 client threads, Tenantry's empty begin+commit rate at least Seata's (file
   * store, its default), Tenantry's log being durable before phase two begins.
   */
  static List<String> targets(List<Figure> figures) {
    List<String> out = new ArrayList<>();
    for (String scenario : scenarios(figures)) {
      if (!scenario.startsWith(TxBench.SCENARIO_PREFIX + "empty@")) {
        continue;
      }
      String label = scenario + " tx/s at least Seata's (file store)";
      Optional<Figure> t = find(figures, "tenantry", scenario, "tx_per_s");
      Optional<Figure> s = find(figures, "seata", scenario, "tx_per_s");
      if (t.isEmpty() || s.isEmpty()) {
        out.add("NOT MEASURED  " + label);
      } else {
        boolean met = t.get().value() >= s.get().value();
        out.add((met ? "MET           " : "MISSED        ") + label + ": " + Figure.format(t.get().value()) + " vs "
            + Figure.format(s.get().value()) + " = " + Figure.format(t.get().value() / s.get().value()) + "x");
      }
    }
    return out;
  }

  /** The scenarios measured, in the order of the run (kinds, then thread counts). */
  private static List<String> scenarios(List<Figure> figures) {
    return figures.stream().filter(TxReport::owns).map(Figure::scenario).distinct().toList();
  }

  private static Optional<Double> ratio(List<Figure> figures, String ours, String peer, String scenario,
      String metric) {
    Optional<Figure> t = find(figures, ours, scenario, metric);
    Optional<Figure> p = find(figures, peer, scenario, metric);
    return t.isPresent() && p.isPresent() && p.get().value() != 0 ? Optional.of(t.get().value() / p.get().value())
        : Optional.empty();
  }

  private static Optional<Figure> find(List<Figure> figures, String system, String scenario, String metric) {
    return figures.stream().filter(f -> f.system().equals(system) && f.scenario().equals(scenario)
        && f.metric().equals(metric)).reduce((a, b) -> b);
  }

  private static final String METHOD = """
      Each coordinator runs in its own process on 127.0.0.1 with JVM defaults: Seata's published server
      (`io.seata:seata-server:2.0.0` with its dependencies from Maven Central, run as its distribution runs it,
      logging at WARN) and the Tenantry control plane. Each is driven by a driver process of its own, with the
      coordinator's own client: Seata's TM and RM clients (`io.seata:seata-all:2.0.0`, no Spring) and
      Tenantry's SDK (`client.transactions()`). `empty`: begin a global transaction, commit it, no branch.
      `tcc2`: begin, try two TCC participants living in the driver process (each try inserts a row into an
      in-memory H2 database of the driver; confirm and cancel update it), commit; the coordinator then calls
      both confirms on the driver. A closed loop: each client thread starts its next transaction as soon as the
      last commit is answered. After an unmeasured warm-up of each kind (at 16 threads, 10 s), each kind runs
      10 s at 1, 16 and 64 threads. The coordinator's CPU time is read from `/proc/<pid>/stat` just before and
      just after each run; the driver shares the two cores (`driver cores`).
      Seata commits a TCC transaction's branches before it answers the commit (phase two inside the call);
      Tenantry answers once its decision is durable and runs phase two after, so its `tcc2` runs also wait, at
      their end, until every confirm of the run has arrived, inside the measured time.

      """;
}
