package io.tenantry.client.internal.limit;

import java.util.concurrent.atomic.LongAdder;

/** The counters of one limit, kept across reconfigurations. Thread-safe. */
final class RuleCounters {
  final LongAdder admitted = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder wouldRefuse = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
}
