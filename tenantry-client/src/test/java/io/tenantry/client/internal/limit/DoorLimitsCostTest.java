package io.tenantry.client.internal.limit;

import static io.tenantry.client.internal.limit.LimitFixtures.rateLimit;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JMH-free measurement of the admitted path (local mode) for the report: nanoseconds and bytes per
 * check, printed. Only the bytes are asserted (the time depends on the machine and its load).
 */
class DoorLimitsCostTest {
  private static final String[] TENANTS = {"acme", "globex", "initech", "hooli"};
  private static final String[] TIERS = {"premium", "standard", "free", "standard"};

  @Test
  void admittedCheck_oneLimitByTenant_allocatesNothing() {
    measure("one limit by tenant with tier and tenant overrides", """
        {'limits':[{'name':'per-tenant','rate':1000000000,'tiers':{'free':{'rate':100000000}},
                    'tenants':{'acme':{'rate':500000000}}}]}""");
  }

  @Test
  void admittedCheck_tenantAndMatchedServiceLimits_allocatesNothing() {
    measure("limit by tenant + limit by service on POST /orders* (half the calls)", """
        {'limits':[{'name':'per-tenant','rate':1000000000,'tiers':{'free':{'rate':100000000}},
                    'tenants':{'acme':{'rate':500000000}}},
                   {'name':'writes','by':'service','rate':1000000000,'match':{'methods':['POST'],'paths':['/orders*']}}]}""");
  }

  private static void measure(String what, String spec) {
    DoorLimits limits = DoorLimits.compile("order", List.of(rateLimit("l", "order", spec)), null,
        LimitEnvironment.of(() -> 1, null));
    System.out.println(what);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();

    int n = 2_000_000;
    long sink = 0;
    for (int round = 0; round < 5; round++) { // the last rounds are compiled
      long bytes = threads.getThreadAllocatedBytes(tid);
      long t0 = System.nanoTime();
      sink += run(limits, n);
      long ns = System.nanoTime() - t0;
      long allocated = threads.getThreadAllocatedBytes(tid) - bytes;
      System.out.printf("round %d: %.1f ns/check, %.3f bytes/check%n", round, (double) ns / n, (double) allocated / n);
      if (round == 4) {
        assertThat((double) allocated / n).isLessThan(1.0);
      }
    }
    assertThat(sink).isZero();
  }

  private static long run(DoorLimits limits, int n) {
    long refused = 0;
    for (int i = 0; i < n; i++) {
      int t = i & 3;
      if (limits.check(TENANTS[t], TIERS[t], "checkout", (i & 1) == 0 ? "GET" : "POST", "/orders/42") != null) {
        refused++;
      }
    }
    return refused;
  }
}
