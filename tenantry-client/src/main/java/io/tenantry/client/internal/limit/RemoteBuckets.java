package io.tenantry.client.internal.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Buckets shared by every instance of a service, kept in a backend (see {@link RedisBuckets}).
 * Implementations are thread-safe, and {@link #available()} is a cheap read: it is asked on every call
 * of a cluster-mode limit.
 */
public interface RemoteBuckets {
  /** True while the backend answers; false after a failure until a probe finds it back. */
  boolean available();

  /**
   * A proxy of the shared bucket {@code name}, created in the backend with {@code configuration} if
   * missing, and converted to it if it was written by an older {@code configurationVersion}.
   * Creating the proxy does not contact the backend; using it does, and throws if that fails.
   */
  Bucket bucket(String name, BucketConfiguration configuration, long configurationVersion);

  /** Reports a failed command: the backend counts as unavailable until a probe succeeds. */
  void failed(RuntimeException cause);
}
