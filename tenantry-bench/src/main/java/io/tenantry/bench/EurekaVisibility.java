package io.tenantry.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * How long a new registration takes to reach a Eureka reader: registrations made at a fixed spacing,
 * while a reader polls the delta registry ({@code GET /eureka/apps/delta}, what a Eureka client fetches
 * after its first full fetch) much more often than a client would (a client polls every 30 s by
 * default, which adds up to 30 s more). So the figure is the server's own delay: its response cache.
 */
final class EurekaVisibility {
  private final EurekaRegistry target;
  private final Results results;
  private final PrintStream log;

  EurekaVisibility(EurekaRegistry target, Results results, PrintStream log) {
    this.target = target;
    this.results = results;
    this.log = log;
  }

  void run(int samples, Duration spacing, Duration poll, Duration timeout) throws IOException, InterruptedException {
    log.println("eureka: visibility of " + samples + " new registrations to a reader of the delta registry");
    long[] registered = new long[samples];
    long[] seen = new long[samples];
    byte[] delta = target.requests().get("/eureka/apps/delta");
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    int made = 0;
    int found = 0;
    while (found < samples && System.nanoTime() < deadline) {
      if (made < samples && System.nanoTime() >= start + made * spacing.toNanos()) {
        registered[made] = System.nanoTime();
        byte[] register = target.requests().send("POST", "/eureka/apps/VISIBLE", EurekaRegistry.JSON,
            EurekaRegistry.instanceJson("VISIBLE", "vis-" + made, "10.2.0." + (made + 1), "zone-a",
                System.currentTimeMillis()));
        String answer = once(register, 204);
        if (answer != null) {
          throw new IOException("eureka registration answered " + answer);
        }
        made++;
      }
      String body = once(delta, 200) == null ? lastBody : "";
      long now = System.nanoTime();
      for (int k = 0; k < made; k++) {
        if (seen[k] == 0 && body.contains("\"vis-" + k + "\"")) {
          seen[k] = now;
          found++;
        }
      }
      Thread.sleep(poll.toMillis());
    }
    Histogram h = new Histogram(3_600_000_000L, 3);
    int missed = 0;
    for (int k = 0; k < samples; k++) {
      if (seen[k] == 0) {
        missed++;
      } else {
        h.recordValue((seen[k] - registered[k]) / 1000);
      }
    }
    results.add("eureka", "visibility", "last_p50_ms", h.getValueAtPercentile(50) / 1000.0, "ms");
    results.add("eureka", "visibility", "last_max_ms", h.getMaxValue() / 1000.0, "ms");
    results.add("eureka", "visibility", "missed", missed, "");
  }

  private String lastBody = "";

  /**
   * One request on a connection of its own (Tomcat closes a kept-alive connection after 100 requests or
   * 20 s idle, and this reader is slow): null if it answered {@code expected}, else the status and body.
   */
  private String once(byte[] request, int expected) throws IOException {
    try (HttpConnection c = HttpConnection.open(target.address()).keepingBodies()) {
      int status = c.exchange(request);
      lastBody = c.body();
      return status == expected ? null : status + ": " + lastBody;
    }
  }
}
