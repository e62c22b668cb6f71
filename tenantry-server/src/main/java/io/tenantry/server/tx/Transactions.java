package io.tenantry.server.tx;

import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.server.registry.Registry;
import io.tenantry.server.store.Store;
import io.tenantry.server.store.StoredTx;
import io.tenantry.server.tenant.TenantService;
import io.tenantry.server.trace.TraceCollector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator of one control-plane process: its log writer, signing key, decisions and phase-two
 * driver, and the leader's scan that times out active transactions past their deadline, resumes every
 * unfinished phase two (after a restart, or decided on another node) and purges old finished transactions.
 * {@link #start} runs the first scan at once: recovery. Thread-safe.
 */
public final class Transactions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
  private static final int SCAN_BATCH = 1000;
  private static final Duration PURGE_EVERY = Duration.ofMinutes(10);
  /** Phase-two calls under way at once at most (each waits for its participant's answer on a thread of its own). */
  private static final int PHASE_TWO_CALLERS = 64;

  private final Store store;
  private final TxSettings settings;
  private final Clock clock;
  private final TxLog log;
  private final SigningKeys keys;
  private final Coordinator coordinator;
  private final PhaseTwoDriver driver;
  private final ScheduledExecutorService timer;
  private final ExecutorService callers;
  private final PhaseTwoCall calls;
  private volatile boolean leading;
  private Instant nextPurge = Instant.MIN;

  public Transactions(Store store, TenantService tenants, Registry registry, TxSettings settings, Clock clock,
      MeterRegistry metrics) {
    this(store, tenants, registry, settings, clock, metrics, null);
  }

  /**
   * A coordinator that records the spans of its phase-two calls into {@code traces} (null: none), in the trace of
   * the request that began each transaction.
   */
  public Transactions(Store store, TenantService tenants, Registry registry, TxSettings settings, Clock clock,
      MeterRegistry metrics, TraceCollector traces) {
    TxMeters meters = new TxMeters(metrics);
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.log = new TxLog(store.transactions(), meters);
    this.keys = SigningKeys.loadOrCreate(store.signingKeys(), clock);
    this.timer = Executors.newScheduledThreadPool(4, DaemonThreads.named("tenantry-tx"));
    this.callers = Executors.newFixedThreadPool(PHASE_TWO_CALLERS, DaemonThreads.named("tenantry-tx-call"));
    this.calls = new PhaseTwoCall(callers, settings.phaseTwoTimeout());
    this.coordinator = new Coordinator(store.transactions(), log, tenants, clock, () -> leading);
    this.driver = new PhaseTwoDriver(store.transactions(), log, new Participants(registry),
        calls,
        traces == null ? PhaseTwoSpans.NONE : new PhaseTwoSpans(traces::accept, clock), keys, settings, clock, meters,
        timer, coordinator::settled);
    coordinator.driveWith(driver);
  }

  /** Starts the log writer and the leader's scan (the first one, recovery, at once). */
  public void start() {
    log.start();
    long every = settings.scanInterval().toMillis();
    timer.scheduleWithFixedDelay(this::scanSafely, 0, every, TimeUnit.MILLISECONDS);
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public SigningKeys keys() {
    return keys;
  }

  private void scanSafely() {
    try {
      scan();
    } catch (RuntimeException e) {
      LOG.warn("transaction scan failed (tried again in {}): {}", settings.scanInterval(), e.getMessage());
    }
  }

  /** What the leader does every {@code tx.scan-interval}. */
  void scan() {
    Instant now = clock.instant();
    coordinator.forgetExpired(now);
    leading = store.transactions().lead();
    if (!leading) {
      return;
    }
    for (StoredTx s : store.transactions().expired(now, SCAN_BATCH)) {
      coordinator.timeOut(s);
    }
    for (StoredTx s : store.transactions().inPhaseTwo(SCAN_BATCH)) {
      driver.drive(s);
    }
    calls.sweep();
    if (!now.isBefore(nextPurge)) {
      int purged = store.transactions().purge(now.minus(settings.retention()));
      if (purged > 0) {
        LOG.info("purged {} transactions that ended over {} ago", purged, settings.retention());
      }
      nextPurge = now.plus(PURGE_EVERY);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
    calls.close();
    callers.shutdownNow();
  }
}
