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
    try (HttpConnection writer = HttpConnection.open(target.address()).keepingBodies();
        HttpConnection reader = HttpConnection.open(target.address()).keepingBodies()) {
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      int made = 0;
      int found = 0;
      while (found < samples && System.nanoTime() < deadline) {
        if (made < samples && System.nanoTime() >= start + made * spacing.toNanos()) {
          registered[made] = System.nanoTime();
          int status = writer.exchange(target.requests().send("POST", "/eureka/apps/VISIBLE", EurekaRegistry.JSON,
              EurekaRegistry.instanceJson("VISIBLE", "vis-" + made, "10.2.0." + (made + 1), "zone-a",
                  System.currentTimeMillis())));
          if (status / 100 != 2) {
            throw new IOException("eureka registration answered " + status + ": " + writer.body());
          }
          made++;
        }
        int status = reader.exchange(delta);
        long now = System.nanoTime();
        String body = status == 200 ? reader.body() : "";
        for (int k = 0; k < made; k++) {
          if (seen[k] == 0 && body.contains("\"vis-" + k + "\"")) {
            seen[k] = now;
            found++;
          }
        }
        Thread.sleep(poll.toMillis());
      }
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
}
