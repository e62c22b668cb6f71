package io.tenantry.client.tx;

import io.tenantry.api.ApiPaths;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * A measuring tool (not a test, not the benchmark of record, which is tenantry-bench's): starts the control plane as
 * its own process ({@code io.tenantry.server.Main} on the classpath in file {@code -Dserver.cp}, embedded H2 in a
 * temporary data directory, or {@code -Dstore.url=jdbc:postgresql://…}), then drives empty begin+commit from this
 * JVM at each thread count of {@code -Dthreads} (default 1,16,64) in each mode of {@code -Dmodes} ({@code raw}: two
 * keep-alive HTTP/1.1 requests; {@code sdk}: {@link Transactions#inTransaction} with an empty body), warming up
 * {@code -Dwarmup} seconds and counting {@code -Dseconds}. Prints tx/s and the server's CPU per transaction
 * (utime+stime of {@code /proc/<pid>/stat}, every thread, JIT included). {@code -Dserver.opts} adds JVM options
 * to the server (e.g. a flight recording).
 */
public final class TxLoad {
  private static final String ADMIN_KEY = "perf-admin-key-0123456789abcdef";
  private static final String NS = "bench";

  private TxLoad() {}

  public static void main(String[] args) throws Exception {
    String cp = Files.readString(Path.of(System.getProperty("server.cp"))).trim();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path data = Files.createTempDirectory("tx-load");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String opts = System.getProperty("server.opts", "");
    if (!opts.isBlank()) {
      cmd.addAll(List.of(opts.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-cp", cp, "io.tenantry.server.Main", "--server.port=" + port, "--data.dir=" + data,
        "--admin.key=" + ADMIN_KEY));
    String storeUrl = System.getProperty("store.url");
    if (storeUrl != null) {
      cmd.addAll(List.of("--store.url=" + storeUrl, "--store.user=postgres", "--store.pool-size=16"));
    }
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(data.resolve("server.log").toFile()).start();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      awaitUp(http, base, server);
      post(http, base, ApiPaths.NAMESPACES, ADMIN_KEY, "{\"name\":\"" + NS + "\"}", 201);
      post(http, base, ApiPaths.expand(ApiPaths.TENANTS, NS), ADMIN_KEY, "{\"id\":\"acme\"}", 201);
      String created = post(http, base, ApiPaths.expand(ApiPaths.KEYS, NS), ADMIN_KEY,
          "{\"name\":\"load\",\"role\":\"service\"}", 201);
      int at = created.indexOf("\"secret\":\"") + 10;
      String key = created.substring(at, created.indexOf('"', at));
      int warmup = Integer.getInteger("warmup", 3);
      int seconds = Integer.getInteger("seconds", 10);
      for (String mode : System.getProperty("modes", "raw,sdk").split(",")) {
        try (TenantryClient client = TenantryClient.newBuilder().servers(base.toString()).namespace(NS).apiKey(key)
            .shutdownHook(false).snapshotDirectory(data.resolve("snapshots")).build().start()) {
          Runnable tx = mode.equals("sdk") ? sdk(client.transactions()) : raw(http, base, key);
          // the JIT compiles the server's hot path for a good while: measure after it settled, not during
          drive(tx, 16, Integer.getInteger("prewarm", 15), new LongAdder());
          for (String t : System.getProperty("threads", "1,16,64").split(",")) {
            int threads = Integer.parseInt(t.trim());
            drive(tx, threads, warmup, new LongAdder());
            double[] groups0 = groups(http, base);
            long cpu0 = cpuNanos(server.pid());
            long jit0 = jitNanos(server.pid());
            long self0 = cpuNanos(ProcessHandle.current().pid());
            LongAdder done = new LongAdder();
            double elapsed = drive(tx, threads, seconds, done);
            long cpu = cpuNanos(server.pid()) - cpu0;
            long jit = jitNanos(server.pid()) - jit0;
            long self = cpuNanos(ProcessHandle.current().pid()) - self0;
            long n = Math.max(1, done.sum());
            double[] groups1 = groups(http, base);
            double perCommit = (groups1[1] - groups0[1]) / Math.max(1, groups1[0] - groups0[0]);
            System.out.printf("%s %-3s %2d threads: %7.0f tx/s  server %4.0f us CPU/tx (JIT %3.0f)  driver %4.0f us"
                    + " CPU/tx  %4.1f log writes per commit  (load %.1f)%n", storeUrl == null ? "H2" : "PG", mode,
                threads, done.sum() / elapsed, cpu / 1e3 / n, jit / 1e3 / n, self / 1e3 / n, perCommit, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
          }
        }
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static Runnable sdk(Transactions tx) {
    TxOptions options = TxOptions.tcc("empty");
    return () -> {
      try (TenantContext.Scope s = TenantContext.enter("acme")) {
        tx.inTransaction(options, g -> null);
      }
    };
  }

  private static Runnable raw(HttpClient http, URI base, String key) {
    URI begin = base.resolve(ApiPaths.expand(ApiPaths.TRANSACTIONS, NS));
    return () -> {
      try {
        String body = post(http, base, begin.getPath(), key, "{\"tenant\":\"acme\"}", 201);
        int at = body.indexOf("\"xid\":\"") + 7;
        post(http, base, begin.getPath() + "/" + body.substring(at, at + 32) + "/commit", key, null, 200);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  /** Runs {@code tx} on {@code threads} threads for {@code seconds}; returns the elapsed seconds. */
  private static double drive(Runnable tx, int threads, int seconds, LongAdder done) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread w = new Thread(() -> {
        while (!stop.get()) {
          try {
            tx.run();
            done.increment();
          } catch (RuntimeException e) {
            failed.compareAndSet(null, e);
            return;
          }
        }
      });
      workers.add(w);
      w.start();
    }
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (failed.get() != null) {
      throw failed.get();
    }
    return elapsed;
  }

  private static String post(HttpClient http, URI base, String path, String key, String json, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key);
    if (json != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    } else {
      b.POST(HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IOException(path + ": " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  private static void awaitUp(HttpClient http, URI base, Process server) throws Exception {
    long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < until && server.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(base.resolve(ApiPaths.HEALTH)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200); // polling a process that gives no other sign of readiness
    }
    throw new IllegalStateException("the server did not come up (exit: " + (server.isAlive() ? "running" : server.exitValue()) + ")");
  }

  /** The log writer's group sizes so far, {count, sum}, from the server's Prometheus text. */
  private static double[] groups(HttpClient http, URI base) throws IOException, InterruptedException {
    String text = http.send(HttpRequest.newBuilder(base.resolve(ApiPaths.METRICS)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double[] countSum = new double[2];
    for (String line : text.split("\n")) {
      if (line.startsWith("tenantry_tx_log_group_writes_count ")) {
        countSum[0] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("tenantry_tx_log_group_writes_sum ")) {
        countSum[1] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return countSum;
  }

  /** utime+stime of the JIT compiler threads of a process alive now, in nanoseconds. */
  private static long jitNanos(long pid) throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    }
    return ticks * 10_000_000L;
  }

  /** utime+stime of a process, every thread, in nanoseconds (clock ticks of 10 ms). */
  private static long cpuNanos(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
  }
}
