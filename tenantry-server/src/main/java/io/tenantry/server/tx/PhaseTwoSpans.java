package io.tenantry.server.tx;

import io.tenantry.api.ApiPaths;
import io.tenantry.api.Instance;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.server.store.StoredTx;
import io.tenantry.server.trace.TraceParent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.Endpoint;
import zipkin2.Span;

/**
 * The coordinator's spans of phase two: each attempt of a confirm, cancel or compensation is a CLIENT span of
 * service {@value #SERVICE}, child of the span that began the transaction (the {@code traceparent} its begin
 * carried), recorded into the control plane's own trace collector in the transaction's namespace, tagged with its
 * tenant as the SDKs' spans are, so the per-tenant trace queries find it. Only a sampled trace gets spans; an
 * unsampled one has its context passed on unchanged (the participants' logs still join it). Thread-safe.
 */
final class PhaseTwoSpans {
  /** The coordinator's service name in traces. */
  static final String SERVICE = "tenantry-coordinator";
  private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoSpans.class);
  private static final int MAX_ERROR = 300;

  /** Where recorded spans go: the trace collector of the control plane. */
  @FunctionalInterface
  interface Sink {
    void accept(String namespace, List<Span> spans);
  }

  /** No spans recorded (a coordinator without a collector); contexts still pass on. */
  static final PhaseTwoSpans NONE = new PhaseTwoSpans(null, Clock.systemUTC());

  private final Sink sink; // null: record nothing
  private final Clock clock;

  PhaseTwoSpans(Sink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  /**
   * One attempt under way.
   *
   * @param sent    the trace context the call carries: the attempt's own span if recorded, else the begin's
   * @param started when the attempt began, or null if it is not recorded
   */
  record Attempt(TraceParent sent, Instant started) {}

  /** The attempt of a call of {@code tx} beginning now, or null if the transaction was begun outside any trace. */
  Attempt start(StoredTx tx) {
    TraceParent begun = tx.trace();
    if (begun == null) {
      return null;
    }
    if (!begun.sampled() || sink == null) {
      return new Attempt(begun, null);
    }
    return new Attempt(begun.child(TraceParent.newSpanId()), clock.instant());
  }

  /**
   * Records the span of attempt {@code a} (if it is recorded) of branch {@code b}, which got {@code r}. Never throws:
   * a span that cannot be recorded must not stop phase two.
   */
  void end(StoredTx tx, Branch b, BranchPhase phase, int attempt, Instance target, Attempt a, PhaseTwoCall.Result r) {
    if (a == null || a.started() == null) {
      return;
    }
    try {
      record(tx, b, phase, attempt, target, a, r);
    } catch (RuntimeException e) {
      LOG.debug("span of {} {} attempt {} not recorded: {}", phase.wire(), tx.xid(), attempt, e.toString());
    }
  }

  private void record(StoredTx tx, Branch b, BranchPhase phase, int attempt, Instance target, Attempt a,
      PhaseTwoCall.Result r) {
    Instant ended = clock.instant();
    long start = micros(a.started());
    Span.Builder span = Span.newBuilder()
        .traceId(a.sent().traceId())
        .parentId(tx.trace().spanId())
        .id(a.sent().spanId())
        .kind(Span.Kind.CLIENT)
        .name(phase.wire() + " " + b.action())
        .timestamp(start)
        .duration(Math.max(1, micros(ended) - start))
        .localEndpoint(Endpoint.newBuilder().serviceName(SERVICE).build())
        .putTag("tenant.id", tx.tx().tenant())
        .putTag("tenantry.namespace", tx.tx().namespace())
        .putTag("tenantry.service", b.service())
        .putTag("peer.service", b.service())
        .putTag("tenantry.xid", tx.xid())
        .putTag("tenantry.branch", Integer.toString(b.id()))
        .putTag("tenantry.action", b.action())
        .putTag("tenantry.phase", phase.wire())
        .putTag("tenantry.attempt", Integer.toString(attempt))
        .putTag("tenantry.outcome", r.kind().name().toLowerCase(Locale.ROOT))
        .putTag("http.request.method", "POST")
        .putTag("url.path", ApiPaths.TX_PARTICIPANT);
    Endpoint.Builder remote = Endpoint.newBuilder().serviceName(b.service());
    if (target != null) {
      remote.parseIp(target.host());
      remote.port(target.port());
      span.putTag("tenantry.instance", target.id());
    }
    span.remoteEndpoint(remote.build());
    if (r.status() > 0) {
      span.putTag("http.response.status_code", Integer.toString(r.status()));
    }
    if (r.error() != null) {
      span.putTag("error", r.error().length() <= MAX_ERROR ? r.error() : r.error().substring(0, MAX_ERROR));
    }
    sink.accept(tx.tx().namespace(), List.of(span.build()));
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
