package io.tenantry.client.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link io.tenantry.client.ClientStats}, one set per client. Thread-safe. */
public final class Counters {
  public final LongAdder protectionEpisodes = new LongAdder();
  public final LongAdder watchConnects = new LongAdder();
  public final LongAdder relists = new LongAdder();
  public final LongAdder heartbeatFailures = new LongAdder();
  public final LongAdder reregistrations = new LongAdder();
  public final LongAdder snapshotWrites = new LongAdder();
}
