package io.tenantry.client.internal.limit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.tenantry.api.policy.PolicyKind;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The cluster-limit backend comparison of bench/limits-backends.md: per-check latency from one thread
 * and checks per second from 8 threads of one JVM, every check on one hot key (a flooding tenant).
 * Not a test (its name does not end in Test): run it by name, see the bench file for the command.
 */
class LimitBackendsBench {
  private static final Duration WARMUP = Duration.ofSeconds(1);
  private static final Duration RUN = Duration.ofSeconds(3);
  private static final int THREADS = 8;
  private static final String SPEC = "{'mode':'cluster','limits':[{'name':'per-tenant','rate':1000000000}]}";

  @Test
  void compareBackends() throws Exception {
    List<String> rows = new ArrayList<>();
    String ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    DoorLimits local = DoorLimits.compile("order",
        List.of(LimitFixtures.policy(ns, PolicyKind.RATE_LIMIT, "l", "order", false, SPEC, 1)), null,
        LimitEnvironment.of(() -> 2, null));
    rows.add(measure("local share (no backend)", () -> local.check("initech", "free", null, "GET", "/") == null));

    for (RedisBuckets.Sync sync : RedisBuckets.Sync.values()) {
      try (RedisBuckets redis = new RedisBuckets(ClusterBackend.redis(URI.create("redis://127.0.0.1:6379")), sync).start()) {
        DoorLimits cluster = DoorLimits.compile("order",
            List.of(LimitFixtures.policy(ns, PolicyKind.RATE_LIMIT, "l-" + sync.name().toLowerCase().replace('_', '-'), "order", false, SPEC, 1)), null,
            LimitEnvironment.of(() -> 2, redis));
        rows.add(measure("Redis (Lettuce CAS), " + sync, () -> cluster.check("initech", "free", null, "GET", "/") == null));
      }
    }

    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
    hc.setUsername("postgres");
    hc.setMaximumPoolSize(THREADS);
    try (HikariDataSource ds = new HikariDataSource(hc)) {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS tenantry_limits_bench(id BIGINT PRIMARY KEY, state BYTEA)");
      }
      ProxyManager<Long> pg = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(ds).table("tenantry_limits_bench").build();
      BucketConfiguration cfg = BucketConfiguration.builder()
          .addLimit(l -> l.capacity(1_000_000_000L).refillGreedy(1_000_000_000L, Duration.ofSeconds(1))).build();
      long key = System.nanoTime();
      Bucket plain = pg.builder().build(key, () -> cfg);
      rows.add(measure("PostgreSQL (SELECT FOR UPDATE), EVERY_CALL", () -> plain.tryConsume(1)));
      Bucket batched = pg.builder().withOptimization(Optimizations.batching()).build(key + 1, () -> cfg);
      rows.add(measure("PostgreSQL (SELECT FOR UPDATE), BATCHING", () -> batched.tryConsume(1)));
    }

    System.out.println();
    System.out.println("| backend | 1 thread: mean µs | p50 µs | p99 µs | 1 thread: checks/s | " + THREADS
        + " threads: checks/s |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  private static String measure(String name, BooleanSupplier check) throws InterruptedException {
    run(check, WARMUP);
    // One thread: latency of each check.
    long[] lat = new long[4_000_000];
    int n = 0;
    long end = System.nanoTime() + RUN.toNanos();
    long start = System.nanoTime();
    while (n < lat.length) {
      long t0 = System.nanoTime();
      check.getAsBoolean();
      long t1 = System.nanoTime();
      lat[n++] = t1 - t0;
      if (t1 - end > 0) {
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    double mean = Arrays.stream(sorted).average().orElse(0) / 1000;
    // Many threads: throughput.
    long total = runThreads(check, RUN);
    return String.format("| %s | %.2f | %.2f | %.2f | %,d | %,d |", name, mean, sorted[n / 2] / 1000.0,
        sorted[(int) (n * 0.99)] / 1000.0, (long) (n / seconds), (long) (total / (RUN.toNanos() / 1e9)));
  }

  private static void run(BooleanSupplier check, Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() - end < 0) {
      check.getAsBoolean();
    }
  }

  private static long runThreads(BooleanSupplier check, Duration d) throws InterruptedException {
    LongAdder count = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          check.getAsBoolean();
          count.increment();
        }
      });
      t.start();
      threads.add(t);
    }
    Thread.sleep(d.toMillis()); // a measurement window, not a wait for a condition
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return count.sum();
  }
}
