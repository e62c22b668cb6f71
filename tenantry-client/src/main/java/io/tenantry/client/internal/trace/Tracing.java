package io.tenantry.client.internal.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tenantry.api.Instance;
import io.tenantry.api.policy.Policy;
import io.tenantry.client.CallOutcome;
import io.tenantry.client.internal.DoorObserver;
import io.tenantry.client.internal.TenantSlot;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client's tracing: an OpenTelemetry tracer of its own (no global state), sampled by the {@code tracing}
 * policies ({@link PolicySampler} under a parent-based sampler), its spans queued ({@link SpanQueue}) for the
 * exporter its {@link TraceSettings} name. A SERVER span per request admitted at the door ({@link DoorTracing}),
 * a CLIENT span per attempt of a governed call ({@link #start}/{@link #end}). Thread-safe.
 */
public final class Tracing implements AutoCloseable {
  static final String SCOPE = "io.tenantry.client";
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("tenantry.namespace");
  static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("tenantry.instance");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("tenantry.route");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("tenantry.outcome");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tenantry.attempt");
  static final AttributeKey<Boolean> RETRY = AttributeKey.booleanKey("tenantry.retry");
  static final AttributeKey<Boolean> FAILOVER = AttributeKey.booleanKey("tenantry.failover");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> XID = AttributeKey.stringKey("tenantry.xid");
  /** The coordinator's service name in traces (as the control plane names its own spans). */
  public static final String COORDINATOR = "tenantry-coordinator";

  private final String namespace;
  final String service; // this process's service, or null
  final Supplier<String> instance; // this process's instance id of its service, or null
  private final Tracer tracer;
  private final PolicySampler sampler;
  private final SdkTracerProvider provider; // null: export none
  private final SpanQueue queue; // null: export none
  private final DoorTracing door;
  private final TraceIds ids = new TraceIds();

  private Tracing(String namespace, String service, Supplier<String> instance, TraceSettings settings,
      SpanExporter exporter) {
    this.namespace = namespace;
    this.service = service;
    this.instance = instance;
    this.sampler = new PolicySampler(settings.sampleRatio());
    if (exporter == null) {
      this.queue = null;
      this.provider = null;
      this.tracer = TracerProvider.noop().get(SCOPE);
    } else {
      this.queue = new SpanQueue(exporter, settings.queueSize(), "tenantry-spans-" + namespace);
      this.provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(ZipkinJson.SERVICE_NAME,
              service == null ? "unknown_service:java" : service, NAMESPACE, namespace)))
          .setSampler(Sampler.parentBased(sampler))
          .setIdGenerator(ids)
          .addSpanProcessor(queue)
          .build();
      this.tracer = provider.get(SCOPE);
    }
    this.door = new DoorTracing(this);
  }

  /**
   * The tracing of a client of {@code namespace} serving {@code service} (may be null), exporting as
   * {@code settings} say; to the control plane at {@code servers} with {@code apiKey} by default.
   */
  public static Tracing create(TraceSettings settings, String namespace, String service, Supplier<String> instance,
      List<URI> servers, String apiKey, Duration timeout) {
    SpanExporter exporter = switch (settings.export()) {
      case NONE -> null;
      case CONTROL_PLANE -> ZipkinSender.controlPlane(servers, apiKey, timeout);
      case ZIPKIN -> new ZipkinSender(List.of(settings.endpoint()), null, timeout);
      case OTLP -> OtlpExport.exporter(settings.endpoint(), timeout);
    };
    return new Tracing(namespace, service, instance, settings, exporter);
  }

  /** Told about every request at the client's door: a SERVER span each, current while its handler runs. */
  public DoorObserver door() {
    return door;
  }

  /** Applies the tracing policies among {@code policies} to the next traces that start here. */
  public void apply(Collection<Policy> policies) {
    sampler.apply(policies);
  }

  Tracer tracer() {
    return tracer;
  }

  /**
   * Starts a span of {@code kind} for {@code service} and {@code tenant}. A span that will not be sampled is made
   * without the SDK: under an unsampled parent it is the parent itself (its ids pass through: nothing of the trace
   * is recorded, so no span is lost), an unsampled root is a non-recording span with fresh ids (its trace id
   * carries the decision downstream). A sampled root gets the trace id it was decided on.
   */
  Span startSpan(String name, Context parent, SpanKind kind, String service, String tenant) {
    if (provider == null) {
      return Span.fromContext(parent); // nothing is recorded: the parent passes through (as a no-op tracer's would)
    }
    Span parentSpan = Span.fromContext(parent);
    SpanContext p = parentSpan.getSpanContext();
    if (p.isValid() && !p.isSampled()) {
      return parentSpan; // nothing is recorded in this trace: its ids pass through, nothing is allocated
    }
    if (!p.isValid() && !decideRoot(service, tenant)) {
      return Span.wrap(SpanContext.create(TraceIds.newTraceId(), TraceIds.newSpanId(), TraceFlags.getDefault(),
          TraceState.getDefault()));
    }
    Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind)
        .setAttribute(PolicySampler.SERVICE, service).setAttribute(PolicySampler.TENANT, tenant).startSpan();
    if (span.isRecording()) {
      span.setAttribute(NAMESPACE, namespace);
    }
    return span;
  }

  /** Chooses the next root's trace id on this thread and whether it is sampled; if so, the SDK will use that id. */
  private boolean decideRoot(String service, String tenant) {
    double ratio = sampler.ratio(service, tenant);
    if (ratio <= 0) {
      return false;
    }
    String traceId = TraceIds.newTraceId();
    if (!PolicySampler.sampled(traceId, ratio)) {
      return false;
    }
    ids.preset(traceId);
    return true;
  }

  /**
   * Begins the CLIENT span of an attempt of a call, child of {@code a}'s parent (the context the call began in),
   * and sets the MDC. Called on the call's thread when the attempt starts.
   *
   * @param route the route rule the call matched, or null
   */
  public void start(AttemptSpan a, boolean first, String service, String tenant, String method, String path,
      String route, Instance to, int attempt) {
    if (first) {
      a.parent = Context.current();
    }
    Span span = startSpan(method, a.parent, SpanKind.CLIENT, service, tenant);
    if (span.isRecording()) {
      span.setAttribute(INSTANCE, to.id());
      span.setAttribute(ZipkinJson.PEER_SERVICE, service);
      span.setAttribute(ZipkinJson.SERVER_ADDRESS, to.host());
      span.setAttribute(ZipkinJson.SERVER_PORT, (long) to.port());
      span.setAttribute(METHOD, method);
      span.setAttribute(PATH, path);
      span.setAttribute(ATTEMPT, (long) attempt);
      if (route != null) {
        span.setAttribute(ROUTE, route);
      }
    }
    a.span = span;
    // A span passed through from the parent has the ids the MDC holds already (from the door that made it
    // current); the current tenant is there too (TenantContext): only what differs is written.
    SpanContext c = span.getSpanContext();
    boolean own = c.isValid() && span != Span.fromContext(a.parent);
    a.log.enter(own ? c.getTraceId() : null, own ? c.getSpanId() : null,
        tenant == null || tenant.equals(TenantSlot.current()) ? null : tenant);
  }

  /** Ends the span of the current attempt of {@code a} and restores the MDC. */
  public void end(AttemptSpan a, CallOutcome outcome, int status, boolean willRetry, boolean failover) {
    Span span = a.span;
    if (span == null) {
      return;
    }
    a.span = null;
    if (span.isRecording()) {
      span.setAttribute(OUTCOME, outcome.name().toLowerCase(Locale.ROOT));
      if (status > 0) {
        span.setAttribute(STATUS, (long) status);
      }
      span.setAttribute(RETRY, willRetry);
      span.setAttribute(FAILOVER, failover);
      if (outcome != CallOutcome.SUCCESS) {
        span.setStatus(StatusCode.ERROR, status > 0 ? Integer.toString(status) : outcome.name());
      }
    }
    span.end();
    a.log.exit();
    if (!willRetry) {
      a.parent = null;
    }
  }

  /**
   * Runs {@code call}, a call of this client to the transaction coordinator ({@value #COORDINATOR}), in a CLIENT span
   * named {@code name}, child of the current span and current while the call runs, so that the call carries its
   * context (the coordinator keeps a begin's: its phase-two calls are that span's children). Only inside a sampled
   * trace: outside any, the call starts none (traces begin at requests); in an unsampled one, the context passes
   * through as it is.
   *
   * @param xid the transaction's id, or null (a begin)
   */
  public <T> T coordinatorCall(String name, String tenant, String xid, Supplier<T> call) {
    Context parent = Context.current();
    SpanContext p = Span.fromContext(parent).getSpanContext();
    if (provider == null || !p.isValid() || !p.isSampled()) {
      return call.get();
    }
    Span span = startSpan(name, parent, SpanKind.CLIENT, COORDINATOR, tenant);
    span.setAttribute(ZipkinJson.PEER_SERVICE, COORDINATOR);
    if (xid != null) {
      span.setAttribute(XID, xid);
    }
    try (Scope scope = parent.with(span).makeCurrent()) {
      T result = call.get();
      span.setAttribute(OUTCOME, "success");
      return result;
    } catch (RuntimeException | Error e) {
      span.setAttribute(OUTCOME, "error");
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /** Spans exported, dropped (queue full) and failed to export (collector unreachable) so far. */
  public record Stats(long exported, long dropped, long failed) {}

  public Stats stats() {
    return queue == null ? new Stats(0, 0, 0)
        : new Stats(queue.exported.sum(), queue.dropped.sum(), queue.failed.sum());
  }

  /** Exports every span ended so far (tests; a client's close). */
  public void flush() {
    if (queue != null) {
      queue.forceFlush().join(30, TimeUnit.SECONDS);
    }
  }

  /** Exports what is queued and stops. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(30, TimeUnit.SECONDS);
    }
  }
}
