package io.tenantry.server;

import io.tenantry.api.ApiPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A quick look (not a benchmark, not a test) at empty begin+commit over HTTP against an in-process server: for each
 * thread count given (default 1 and 16), warms up, then counts transactions for a few seconds and prints the
 * rate. {@code -Dstore.url=jdbc:postgresql://…} runs it on PostgreSQL instead of the embedded H2 file. The real
 * benchmark, side by side with Seata, lives in tenantry-bench.
 */
public final class TxThroughput {
  private TxThroughput() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("tx-throughput");
    ServerConfig.Builder config = ServerFixture.config(dir);
    String storeUrl = System.getProperty("store.url");
    if (storeUrl != null) {
      config.storeUrl(storeUrl).storeUser(System.getProperty("store.user", "postgres")).storePoolSize(16);
    }
    int seconds = Integer.getInteger("seconds", 5);
    try (ServerFixture f = ServerFixture.start(config.build())) {
      f.namespace("bench");
      f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "bench"), Map.of("id", "acme")).expect(201);
      String key = f.key("bench", "service");
      for (String a : args.length == 0 ? new String[] {"1", "16"} : args) {
        int threads = Integer.parseInt(a);
        run(f.baseUri(), key, threads, 2);
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] count = new long[1];
        double rate = run(f.baseUri(), key, threads, seconds, count);
        double cpuPerTx = (os.getProcessCpuTime() - cpu0) / 1e3 / Math.max(1, count[0]);
        System.out.printf("empty begin+commit, %d thread(s), %s: %.0f tx/s (%.0f us of CPU per tx, server and client"
            + " in one process; load average %.1f on %d cores; %.1f log writes per database commit so far)%n", threads,
            storeUrl == null ? "H2" : "PostgreSQL", rate, cpuPerTx, os.getSystemLoadAverage(), os.getAvailableProcessors(),
            meanGroup(f.anonymous().get(ApiPaths.METRICS).body()));
      }
    }
  }

  /** The mean of the log writer's group sizes, from the Prometheus text. */
  private static double meanGroup(String metrics) {
    double count = 0;
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("tenantry_tx_log_group_writes_count ")) {
        count = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      } else if (line.startsWith("tenantry_tx_log_group_writes_sum ")) {
        sum = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return count == 0 ? 0 : sum / count;
  }

  private static double run(URI base, String key, int threads, int seconds) throws InterruptedException {
    return run(base, key, threads, seconds, new long[1]);
  }

  private static double run(URI base, String key, int threads, int seconds, long[] total) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI begin = URI.create(base + ApiPaths.expand(ApiPaths.TRANSACTIONS, "bench"));
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        while (!stop.get()) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(begin).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"acme\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            int at = body.indexOf("\"xid\":\"") + 7;
            String xid = body.substring(at, at + 32);
            HttpResponse<Void> c = http.send(HttpRequest.newBuilder(URI.create(begin + "/" + xid + "/commit"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 201 || c.statusCode() != 200) {
              throw new IllegalStateException("begin " + r.statusCode() + ", commit " + c.statusCode());
            }
            done.increment();
          } catch (Exception e) {
            System.err.println("failed: " + e);
            return;
          }
        }
      });
      workers.add(w);
      w.start();
    }
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long count = done.sum();
    total[0] = count;
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread w : workers) {
      w.join();
    }
    return count / elapsed;
  }
}
