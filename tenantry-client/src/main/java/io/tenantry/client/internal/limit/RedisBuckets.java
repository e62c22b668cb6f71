package io.tenantry.client.internal.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared buckets on Redis (Bucket4j's Lettuce compare-and-swap backend), with health: the first failed
 * command marks the backend down (logged once per outage, counted), every cluster-mode limit then
 * decides on its local share, and a probe every {@link #PROBE_INTERVAL} brings it back when Redis
 * answers a PING. Commands fail fast while the connection is down (Lettuce rejects them instead of
 * queueing) and time out after {@link ClusterBackend#timeout()}.
 *
 * <p>Needs the optional dependencies {@code bucket4j_jdk17-lettuce} and {@code lettuce-core}.
 * Lifecycle: {@link #start()} then {@link #close()}; nothing runs before start. Thread-safe.
 */
public final class RedisBuckets implements RemoteBuckets, AutoCloseable {
  static final Duration PROBE_INTERVAL = Duration.ofMillis(500);
  private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);

  /** How a bucket proxy talks to Redis: see bench/limits-backends.md for the measured trade-off. */
  public enum Sync {
    /** One round trip per check: exact. */
    EVERY_CALL,
    /** Concurrent checks of one key share a round trip: exact. */
    BATCHING,
    /**
     * Checks consume locally and sync every {@value #DELAY_MS} ms or after a twentieth of the bucket's
     * capacity, whichever comes first: a cluster may over-admit by that much per instance per sync.
     */
    DELAYING;

    static final long DELAY_MS = 20;
  }

  private final ClusterBackend config;
  private final Sync sync;
  private final AtomicBoolean started = new AtomicBoolean();
  private final LongAdder outages = new LongAdder();
  private final AtomicBoolean up = new AtomicBoolean();
  private volatile boolean closed;
  private volatile ProxyManager<byte[]> proxies;
  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> connection;
  private ScheduledExecutorService prober;

  /** Shared buckets at {@code config}, synced by {@link Sync#DELAYING} (the measured choice). */
  public RedisBuckets(ClusterBackend config) {
    this(config, Sync.DELAYING);
  }

  public RedisBuckets(ClusterBackend config, Sync sync) {
    this.config = Objects.requireNonNull(config, "config");
    this.sync = Objects.requireNonNull(sync, "sync");
    if (!config.present()) {
      throw new IllegalArgumentException("config: none (expected: a Redis backend)");
    }
  }

  /** Connects (a failure leaves it down and probing, it does not throw) and starts the probe thread. */
  public RedisBuckets start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    RedisURI uri = RedisURI.create(config.redis());
    uri.setTimeout(config.timeout());
    client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(config.timeout()).build())
        .build());
    prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tenantry-limits-redis-probe");
      t.setDaemon(true);
      return t;
    });
    probe();
    prober.scheduleWithFixedDelay(this::probe, PROBE_INTERVAL.toMillis(), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public boolean available() {
    return up.get();
  }

  @Override
  public Bucket bucket(String name, BucketConfiguration configuration, long configurationVersion) {
    ProxyManager<byte[]> p = proxies;
    if (p == null) {
      throw new IllegalStateException("redis backend not connected");
    }
    RemoteBucketBuilder<byte[]> b = p.builder()
        .withImplicitConfigurationReplacement(configurationVersion, TokensInheritanceStrategy.AS_IS);
    switch (sync) {
      case BATCHING -> b = b.withOptimization(Optimizations.batching());
      case DELAYING -> {
        long capacity = configuration.getBandwidths()[0].getCapacity();
        b = b.withOptimization(Optimizations.delaying(
            new DelayParameters(Math.max(1, capacity / 20), Duration.ofMillis(Sync.DELAY_MS))));
      }
      case EVERY_CALL -> { }
    }
    return b.build(name.getBytes(StandardCharsets.UTF_8), () -> configuration);
  }

  @Override
  public void failed(RuntimeException cause) {
    if (up.compareAndSet(true, false)) { // once per outage, however many calls fail with it
      outages.increment();
      log.warn("Redis limit backend {} failed ({}); cluster limits use each instance's local share until it answers",
          config, cause.toString());
    }
  }

  /** Times the backend was found down (each outage counted once). */
  public long outages() {
    return outages.sum();
  }

  @Override
  public void close() {
    closed = true;
    up.set(false);
    if (prober != null) {
      prober.shutdownNow();
    }
    if (connection != null) {
      connection.close();
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  /** Connects if needed and PINGs; runs on the probe thread only (and once in start). */
  private void probe() {
    if (up.get() || closed) {
      return;
    }
    try {
      if (connection == null) {
        connection = client.connect(ByteArrayCodec.INSTANCE);
        proxies = Bucket4jLettuce.casBasedBuilder(connection)
            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
            .build();
      }
      connection.sync().ping();
      up.set(true);
      if (outages.sum() == 0) {
        log.info("Redis limit backend {} connected; cluster limits are shared by every instance", config);
      } else {
        log.info("Redis limit backend {} answers again; cluster limits are shared again", config);
      }
    } catch (RuntimeException e) {
      if (outages.sum() == 0) { // down from the start: counted and logged once, as an outage
        outages.increment();
        log.warn("Redis limit backend {} cannot be reached ({}); cluster limits use each instance's local share",
            config, e.toString());
      }
    }
  }
}
