package io.tenantry.bench;

import io.tenantry.api.ApiPaths;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A route changed under load, end to end: one SDK client ({@code order}) calls {@code http://payment/pay} for
 * tenant {@code acme} without pause while a route policy switches {@code payment} from its {@code blue}
 * instance to its {@code green} one and back, at a fixed spacing. Both instances are JDK HTTP servers behind
 * the SDK's filter of a {@code payment} client. For each switch: the time from just before the PUT is sent to
 * the first call arriving at the new colour ({@code first_new_*}); over the run: calls that failed as the
 * caller saw them ({@code failed}, the bar: 0), attempts that failed and were retried ({@code failed_attempts}),
 * and calls that still reached the old colour after the first reached the new one ({@code stale_calls}).
 * Not thread-safe.
 */
final class BlueGreenSwitchBench {
  static final String SCENARIO = "bluegreen";
  private static final String POLICY = "bench-colour";

  /**
   * @param switches how many switches (alternately to green and to blue)
   * @param spacing  time between the starts of two switches
   * @param settle   how long a switch may take to show before the run fails
   */
  record Settings(int switches, Duration spacing, Duration settle) {}

  private final TenantryAdmin admin;
  private final String apiKey;
  private final Results results;
  private final PrintStream log;

  BlueGreenSwitchBench(TenantryAdmin admin, String apiKey, Results results, PrintStream log) {
    this.admin = admin;
    this.apiKey = apiKey;
    this.results = results;
    this.log = log;
  }

  void run(String namespace, Settings s) throws IOException, InterruptedException {
    log.println(PolicyPropagationBench.SYSTEM + ": " + SCENARIO + ": " + s.switches() + " route switches "
        + s.spacing().toMillis() + " ms apart under one caller's load");
    createTenant(namespace, "acme");
    try (TenantryClient payment = client(namespace, "payment");
        StubInstance blue = new StubInstance("payment-blue", "blue", payment);
        StubInstance green = new StubInstance("payment-green", "green", payment);
        TenantryClient order = client(namespace, "order");
        PolicyWriter writer = new PolicyWriter(admin, namespace)) {
      payment.register("payment", blue.spec());
      payment.register("payment", green.spec());
      long deadline = System.nanoTime() + s.settle().toNanos();
      while (order.instances("payment").size() < 2) {
        check(deadline, "the caller did not learn both payment instances");
        Thread.sleep(10);
      }
      AtomicLong applied = new AtomicLong();
      PolicyProbe.onApplied(order, PolicyKind.ROUTE, POLICY, applied::set);
      long version = writer.put("route", POLICY, "payment", route("blue"));
      while (applied.get() < version) {
        check(deadline, "the caller did not apply the first route");
        Thread.sleep(10);
      }
      Caller caller = new Caller(order);
      Thread thread = new Thread(caller, "bench-caller");
      thread.start();
      try {
        while (caller.calls.get() < 100) {
          check(deadline, "the caller made " + caller.calls.get() + " calls");
          Thread.sleep(10);
        }
        measure(s, writer, blue, green, caller);
      } finally {
        caller.running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
    }
  }

  private void measure(Settings s, PolicyWriter writer, StubInstance blue, StubInstance green, Caller caller)
      throws IOException, InterruptedException {
    Histogram firstNew = new Histogram(3_600_000_000L, 3);
    long stale = 0;
    long callsBefore = caller.calls.get();
    long start = System.nanoTime();
    for (int k = 0; k < s.switches(); k++) {
      StubInstance to = k % 2 == 0 ? green : blue;
      StubInstance from = k % 2 == 0 ? blue : green;
      long wait = start + k * s.spacing().toNanos() - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      to.watchForFirst();
      long sent = System.nanoTime();
      writer.put("route", POLICY, "payment", route(k % 2 == 0 ? "green" : "blue"));
      long deadline = sent + s.settle().toNanos();
      while (to.firstAt() == 0) {
        check(deadline, "switch " + k + ": no call reached " + (k % 2 == 0 ? "green" : "blue"));
        Thread.sleep(0, 200_000);
      }
      firstNew.recordValue(Math.max(0, (to.firstAt() - sent) / 1000));
      // one caller, one call at a time: any call the old colour gets from now on came after the first new one
      int fromBefore = from.requests();
      long callsAt = caller.calls.get();
      long until = Math.max(start + (k + 1) * s.spacing().toNanos(), System.nanoTime() + 20_000_000L);
      while (System.nanoTime() < until || caller.calls.get() < callsAt + 2) {
        Thread.sleep(1);
      }
      stale += from.requests() - fromBefore;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    add("first_new_p50_ms", firstNew.getValueAtPercentile(50) / 1000.0, "ms");
    add("first_new_max_ms", firstNew.getMaxValue() / 1000.0, "ms");
    add("switches", s.switches(), "");
    add("calls", caller.calls.get() - callsBefore, "");
    add("calls_per_s", (caller.calls.get() - callsBefore) / seconds, "1/s");
    add("failed", caller.failed.get(), "");
    add("failed_attempts", caller.failedAttempts.get(), "");
    add("stale_calls", stale, "");
  }

  /** A route sending every call of {@code payment} to the instances of version {@code colour}. */
  private static String route(String colour) {
    return "{\"rules\":[{\"name\":\"live\",\"destinations\":[{\"subset\":{\"version\":\"" + colour + "\"}}]}]}";
  }

  private TenantryClient client(String namespace, String service) {
    return TenantryClient.newBuilder().servers(PolicyPropagationBench.baseUri(admin)).namespace(namespace)
        .apiKey(apiKey).serviceName(service).snapshotDirectory(null).shutdownHook(false).build().start();
  }

  private void createTenant(String namespace, String id) throws IOException {
    String body = "{\"id\":\"" + id + "\",\"tier\":\"standard\",\"isolation\":\"pooled\",\"status\":\"active\"}";
    try (HttpConnection c = HttpConnection.open(admin.address()).keepingBodies()) {
      int status = c.exchange(admin.requests().send("POST", ApiPaths.expand(ApiPaths.TENANTS, namespace),
          TenantryRegistry.JSON, body));
      if (status / 100 != 2 && status != 409) {
        throw new IOException("create tenant " + id + ": status " + status + " " + c.body());
      }
    }
  }

  private static void check(long deadline, String what) throws IOException {
    if (System.nanoTime() > deadline) {
      throw new IOException(SCENARIO + ": " + what);
    }
  }

  private void add(String metric, double value, String unit) {
    results.add(PolicyPropagationBench.SYSTEM, SCENARIO, metric, value, unit);
  }

  /** Calls payment one call after another until stopped, counting calls and failures. */
  private static final class Caller implements Runnable {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong calls = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong failedAttempts = new AtomicLong();
    private final TenantryClient client;
    private final HttpRequest request = HttpRequest.newBuilder(URI.create("http://payment/pay")).GET().build();

    Caller(TenantryClient client) {
      this.client = client;
      client.http().addObserver(a -> {
        if (a.outcome() != CallOutcome.SUCCESS) {
          failedAttempts.incrementAndGet();
        }
      });
    }

    @Override
    public void run() {
      while (running.get()) {
        try (TenantContext.Scope scope = TenantContext.enter("acme")) {
          if (client.http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            failed.incrementAndGet();
          }
        } catch (IOException | RuntimeException e) {
          failed.incrementAndGet();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        calls.incrementAndGet();
      }
    }
  }
}
