package io.tenantry.client.internal.limit;

import io.github.bucket4j.TimeMeter;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * What compiled limits depend on besides policies. Immutable.
 *
 * @param upInstances     the number of UP instances of the governed service (from discovery); local
 *                        shares divide by it (values below 1 count as 1)
 * @param backend         where cluster-mode limits and quotas are counted, or null for none (all local)
 * @param time            the clock of local buckets ({@link TimeMeter#SYSTEM_NANOTIME} in production)
 * @param maxKeysPerLimit buckets one limit keeps before it sweeps and then overflows (see {@link KeyedBuckets})
 */
public record LimitEnvironment(IntSupplier upInstances, RemoteBuckets backend, TimeMeter time, int maxKeysPerLimit) {
  public static final int DEFAULT_MAX_KEYS = 10_000;

  public LimitEnvironment {
    Objects.requireNonNull(upInstances, "upInstances");
    Objects.requireNonNull(time, "time");
    if (maxKeysPerLimit < 1) {
      throw new IllegalArgumentException("maxKeysPerLimit: " + maxKeysPerLimit + " (expected: >= 1)");
    }
  }

  /** Production settings: the system clock and {@value #DEFAULT_MAX_KEYS} keys per limit; {@code backend} may be null. */
  public static LimitEnvironment of(IntSupplier upInstances, RemoteBuckets backend) {
    return new LimitEnvironment(upInstances, backend, TimeMeter.SYSTEM_NANOTIME, DEFAULT_MAX_KEYS);
  }

  /** Current UP instances, at least 1. */
  int shares() {
    return Math.max(1, upInstances.getAsInt());
  }
}
