package io.tenantry.server.trace;

import io.micrometer.core.instrument.Gauge;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.server.store.SpanStore;
import io.tenantry.server.store.StoredSpan;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * The trace collector: takes decoded spans through a bounded intake ({@link #accept}), indexes them in memory
 * on the request's thread (before the POST is answered, as Zipkin does: a query sees them at once, and every
 * core indexes) and, in {@link TraceSettings.Storage#STORE} mode, writes them behind to the durable store on
 * one thread; reloads the stored spans at {@link #start()}; enforces retention by age and size in memory and in
 * the store. Queries go to {@link #queries()}. Thread-safe; {@link #close()} stores what was accepted, then
 * stops.
 */
public final class TraceCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TraceCollector.class);
  /** Batches handed to a stage at once: enough to amortize a store transaction, few enough to stay responsive. */
  private static final int MAX_DRAIN = 256;

  /** What became of a POST's spans. */
  public enum Outcome {
    ACCEPTED,
    /** The intake is full: try again later (503). */
    FULL,
    /** More spans than the intake can ever hold at once (413). */
    TOO_MANY
  }

  private final TraceSettings settings;
  private final SpanStore store;
  private final Clock clock;
  private final TraceMeters meters;
  private final SpanMemory memory;
  private final SpanIntake intake;
  private final BatchWorker writer;
  private final TraceQueries queries;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("trace-retention"));

  public TraceCollector(TraceSettings settings, SpanStore store, Clock clock, TraceMeters meters) {
    this.settings = settings;
    this.store = settings.storage() == TraceSettings.Storage.STORE ? store : null;
    this.clock = clock;
    this.meters = meters;
    this.memory = new SpanMemory(settings.maxSpans(), settings.autocompleteKeys().stream().distinct().toList(), meters);
    this.intake = new SpanIntake(settings.intakeSpans());
    this.queries = new TraceQueries(memory, settings.autocompleteKeys());
    this.writer = this.store == null ? null
        : new BatchWorker("trace-writer", MAX_DRAIN, new SpanWriter(this.store, intake, meters)::write);
    Gauge.builder("tenantry.spans.held", memory, SpanMemory::held)
        .description("spans held in memory by the trace collector").register(meters.registry());
    Gauge.builder("tenantry.spans.intake", intake, SpanIntake::held)
        .description("spans accepted and not yet stored").register(meters.registry());
  }

  /** Reloads the stored spans still within retention (store mode), then starts the pipeline and the sweeper. */
  public void start() {
    if (store != null) {
      reload();
      writer.start();
    }
    long every = settings.sweepInterval().toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Offers the spans of one POST to the intake, waiting at most {@code trace.intake-wait} for room when it is
   * full (the sender is slowed down rather than refused at once).
   */
  public Outcome accept(String namespace, List<Span> spans) {
    if (spans.size() > intake.capacity()) {
      return Outcome.TOO_MANY;
    }
    boolean room;
    try {
      room = intake.acquire(spans.size(), settings.intakeWait().toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping: refuse, keep nothing
      room = false;
    }
    if (!room) {
      meters.refused(namespace, spans.size());
      return Outcome.FULL;
    }
    long arrival = clock.millis();
    memory.add(namespace, spans, arrival);
    if (writer == null) {
      intake.release(spans.size());
    } else {
      writer.add(new SpanBatch(namespace, spans, arrival)); // gives the permits back once stored
    }
    meters.accepted(namespace, spans.size());
    return Outcome.ACCEPTED;
  }

  public TraceQueries queries() {
    return queries;
  }

  public TraceSettings settings() {
    return settings;
  }

  /** Forgets the spans of a deleted namespace, in memory and in the store. */
  public void dropNamespace(String namespace) {
    memory.drop(namespace);
    if (store != null) {
      store.deleteNamespace(namespace);
    }
  }

  private void reload() {
    long since = clock.millis() - settings.retention().toMillis();
    List<StoredSpan> rows = store.recent(since, settings.maxSpans());
    int unreadable = 0;
    List<Span> run = new ArrayList<>();
    StoredSpan first = null;
    for (StoredSpan row : rows) {
      if (first != null && (!first.namespace().equals(row.namespace()) || first.receivedAt() != row.receivedAt())) {
        memory.add(first.namespace(), List.copyOf(run), first.receivedAt());
        run.clear();
      }
      first = run.isEmpty() ? row : first;
      try {
        run.add(SpanBytesDecoder.PROTO3.decodeOne(row.span()));
      } catch (RuntimeException e) {
        unreadable++;
      }
    }
    if (!run.isEmpty()) {
      memory.add(first.namespace(), List.copyOf(run), first.receivedAt());
    }
    LOG.info("trace collector reloaded {} stored spans{}", rows.size() - unreadable,
        unreadable == 0 ? "" : " (" + unreadable + " unreadable, skipped)");
  }

  private void sweep() {
    try {
      long cutoff = clock.millis() - settings.retention().toMillis();
      memory.evictArrivedBefore(cutoff);
      if (store != null) {
        store.deleteReceivedBefore(cutoff);
        store.trimTo(settings.maxSpans());
      }
    } catch (RuntimeException e) {
      LOG.warn("trace retention sweep failed; the next one tries again: {}", e.getMessage());
    }
  }

  /** Stores what was accepted, then stops. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    if (writer != null) {
      writer.close();
    }
  }
}
