package io.tenantry.client.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.stats.LatencyBuckets;
import io.tenantry.api.stats.StatsEntry;
import io.tenantry.api.stats.StatsReport;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.internal.ServiceCalls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsRecorderTest {
  private final StatsRecorder recorder = new StatsRecorder(3);

  private static final ServiceCalls PAYMENT = new ServiceCalls("payment");
  private static final long TWO_MS = Duration.ofMillis(2).toNanos();

  @Test
  void drain_reportsEachSidePerTenant_thenStartsOver() {
    OutboundStats out = new OutboundStats(recorder);
    out.record(PAYMENT, "acme", 1, CallOutcome.HTTP_ERROR, 503, TWO_MS, true);
    out.record(PAYMENT, "acme", 2, CallOutcome.HTTP_ERROR, 503, TWO_MS, false);
    out.record(PAYMENT, "acme", 1, CallOutcome.SUCCESS, 429, TWO_MS, false);
    DoorRecorder door = new DoorRecorder(null, recorder);
    door.exited(door.entered(null, null, "acme", "GET", "/", null), "acme", "GET", "/", 200, 1_000_000);
    door.exited(door.entered(null, null, null, "GET", "/", null), null, "GET", "/", 500, 1_000_000);
    door.refused("acme", "GET", "/", 429, "rate-limited");
    door.refused("../bad", "GET", "/", 400, "invalid-tenant");

    List<StatsReport> reports = recorder.drain("order", "order-1");
    assertThat(reports).hasSize(2);
    StatsReport served = reports.get(0);
    assertThat(served.service()).isEqualTo("order");
    StatsEntry acme = served.served().stream().filter(e -> "acme".equals(e.tenant())).findFirst().orElseThrow();
    assertThat(acme.calls()).isEqualTo(2);
    assertThat(acme.rejections()).isEqualTo(1);
    assertThat(acme.errors()).isZero();
    assertThat(sum(acme.latency())).isEqualTo(1); // refusals have no handler latency
    StatsEntry none = served.served().stream().filter(e -> e.tenant() == null).findFirst().orElseThrow();
    assertThat(none.errors()).isEqualTo(1);
    StatsEntry other = served.served().stream().filter(e -> StatsEntry.OTHER.equals(e.tenant())).findFirst()
        .orElseThrow();
    assertThat(other.calls()).isEqualTo(1); // the invalid tenant: counted, not named
    StatsEntry called = reports.get(1).called().get(0);
    assertThat(called.service()).isEqualTo("payment");
    assertThat(called.calls()).isEqualTo(2);
    assertThat(called.retries()).isEqualTo(1);
    assertThat(called.errors()).isEqualTo(1);
    assertThat(called.rejections()).isEqualTo(1);
    assertThat(called.latency(LatencyBuckets.bucketOf(2_000))).isEqualTo(3);

    assertThat(recorder.drain("order", "order-1")).isEmpty(); // counted once
  }

  @Test
  void tenantsPastTheCap_areSummedAsOther_andReportsAreSplit() {
    StatsRecorder wide = new StatsRecorder(1_000);
    StatsRecorder narrow = new StatsRecorder(3);
    for (int i = 0; i < 450; i++) {
      wide.served("t" + i).unmeasuredCall();
      narrow.served("t" + i).unmeasuredCall();
    }
    List<StatsReport> split = wide.drain("order", null);
    assertThat(split).hasSize(3);
    assertThat(split).allSatisfy(r -> assertThat(r.served().size()).isLessThanOrEqualTo(StatsReport.MAX_ENTRIES));
    assertThat(split.stream().mapToInt(r -> r.served().size()).sum()).isEqualTo(450);
    List<StatsEntry> capped = narrow.drain("order", null).get(0).served();
    assertThat(capped).hasSize(4);
    assertThat(capped.stream().filter(e -> StatsEntry.OTHER.equals(e.tenant())).findFirst().orElseThrow().calls())
        .isEqualTo(447);
  }

  @Test
  void idleTenants_areForgotten_soOthersTakeTheirPlace() {
    StatsRecorder r = new StatsRecorder(1);
    r.served("acme").unmeasuredCall();
    r.drain("order", null);
    r.drain("order", null); // acme idle a whole interval
    r.served("globex").unmeasuredCall();
    assertThat(r.drain("order", null).get(0).served()).extracting(StatsEntry::tenant).containsExactly("globex");
  }

  private static long sum(long[] a) {
    long n = 0;
    for (long v : a) {
      n += v;
    }
    return n;
  }
}
