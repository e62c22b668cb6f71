package io.tenantry.client.internal.limit;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where cluster-mode limits (and quotas) keep their shared buckets: nowhere ({@link #none()}: every
 * limit is counted locally, each instance its share) or a Redis server ({@link #redis(URI)}).
 * Immutable.
 *
 * @param redis   {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}; null for none
 * @param timeout how long one backend command may take before the call is decided on the local share
 */
public record ClusterBackend(URI redis, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
  private static final ClusterBackend NONE = new ClusterBackend(null, DEFAULT_TIMEOUT);

  public ClusterBackend {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0 and <= 10s)");
    }
    if (redis != null) {
      String scheme = redis.getScheme() == null ? "" : redis.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("redis") && !scheme.equals("rediss") || redis.getHost() == null) {
        throw new IllegalArgumentException("redis: '" + redacted(redis)
            + "' (expected: redis://host[:port][/db] or rediss://...)");
      }
    }
  }

  /** No cluster backend: cluster-mode limits and quotas are counted locally, each instance its share. */
  public static ClusterBackend none() {
    return NONE;
  }

  /** Shared buckets on the Redis server at {@code uri}, with the default timeout. */
  public static ClusterBackend redis(URI uri) {
    return new ClusterBackend(Objects.requireNonNull(uri, "uri"), DEFAULT_TIMEOUT);
  }

  /**
   * The backend named by a configuration value such as env {@code TENANTRY_CLUSTER_LIMITS}: null or blank
   * for none, else a Redis URI.
   */
  public static ClusterBackend fromUrl(String url) {
    if (url == null || url.isBlank()) {
      return NONE;
    }
    try {
      return redis(URI.create(url.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redis url: not a URI (expected: redis://host[:port][/db])", e);
    }
  }

  public ClusterBackend withTimeout(Duration timeout) {
    return new ClusterBackend(redis, timeout);
  }

  public boolean present() {
    return redis != null;
  }

  @Override
  public String toString() {
    return redis == null ? "none" : redacted(redis);
  }

  /** The URI without its user info, safe to log. */
  static String redacted(URI uri) {
    return uri.getUserInfo() == null ? uri.toString()
        : uri.getScheme() + "://***@" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
