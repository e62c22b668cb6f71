package io.tenantry.server.tx;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.tx.BranchPhase;
import java.util.EnumMap;
import java.util.Map;

/**
 * The coordinator's meters on the server's registry ({@code /metrics}): transactions that reached a final or stuck
 * state, phase-two calls by phase and outcome, and the size of each group the log writer commits at once (how well
 * group commit shares a commit). Meters are made once, not per call. Thread-safe.
 */
final class TxMeters {
  private final Counter committed;
  private final Counter rolledBack;
  private final Counter stuck;
  private final DistributionSummary groups;
  private final Map<BranchPhase, Map<PhaseTwoCall.Kind, Counter>> calls = new EnumMap<>(BranchPhase.class);

  TxMeters(MeterRegistry registry) {
    committed = ended(registry, "committed");
    rolledBack = ended(registry, "rolled-back");
    stuck = ended(registry, "stuck");
    groups = DistributionSummary.builder("tenantry.tx.log.group")
        .description("log writes committed together in one database transaction").baseUnit("writes")
        .register(registry);
    for (BranchPhase phase : BranchPhase.values()) {
      Map<PhaseTwoCall.Kind, Counter> byKind = new EnumMap<>(PhaseTwoCall.Kind.class);
      for (PhaseTwoCall.Kind kind : PhaseTwoCall.Kind.values()) {
        byKind.put(kind, Counter.builder("tenantry.tx.phase.two.calls").description("phase-two calls to participants")
            .tag("phase", phase.wire()).tag("outcome", kind.name().toLowerCase(java.util.Locale.ROOT)).register(registry));
      }
      calls.put(phase, byKind);
    }
  }

  private static Counter ended(MeterRegistry registry, String state) {
    return Counter.builder("tenantry.tx.settled").description("transactions that became final or stuck")
        .tag("state", state).register(registry);
  }

  void group(int writes) {
    groups.record(writes);
  }

  void call(BranchPhase phase, PhaseTwoCall.Kind kind) {
    calls.get(phase).get(kind).increment();
  }

  void committed() {
    committed.increment();
  }

  void rolledBack() {
    rolledBack.increment();
  }

  void stuck() {
    stuck.increment();
  }
}
