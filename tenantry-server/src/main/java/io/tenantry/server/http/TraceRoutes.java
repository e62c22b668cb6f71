package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.Names;
import io.tenantry.api.Role;
import io.tenantry.api.ValidationException;
import io.tenantry.server.security.Action;
import io.tenantry.server.security.ApiKeyService;
import io.tenantry.server.security.Principal;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.trace.SpanDecoding;
import io.tenantry.server.trace.TraceCollector;
import io.tenantry.server.trace.TraceMeters;
import io.tenantry.server.trace.TraceQueries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import zipkin2.Span;
import zipkin2.codec.DependencyLinkBytesEncoder;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.storage.QueryRequest;

/**
 * The Zipkin v2 API of the trace collector: {@code POST /api/v2/spans} (JSON or proto3, gzip or not) with a
 * bearer key that may {@link Action#INGEST}, the same at the ingest URL {@value #INGEST} whose path carries a key
 * of role {@code ingest} (for senders that can set only a URL; the key never reaches a log or an error answer),
 * and the Zipkin v2 queries, which need {@link Action#READ}. Every route is scoped to the caller's namespace (a
 * platform admin names it with {@code ?namespace=}); {@code ?tenant=} narrows a query to one tenant's spans.
 */
public final class TraceRoutes {
  static final String V2 = "/api/v2";
  static final String SPANS = V2 + "/spans";
  static final String INGEST = "/ingest/{namespace}/{ingestKey}/api/v2/spans";
  /** Zipkin's default lookback: a day, in ms. */
  private static final long DEFAULT_LOOKBACK = 86_400_000L;
  private static final int DEFAULT_LIMIT = 10;
  private static final Logger LOG = LoggerFactory.getLogger(TraceRoutes.class);

  private final TraceCollector collector;
  private final TraceQueries queries;
  private final ApiKeyService keys;
  private final NamespaceDirectory namespaces;
  private final TraceMeters meters;
  private final int maxBody;

  private TraceRoutes(TraceCollector collector, ApiKeyService keys, NamespaceDirectory namespaces, TraceMeters meters) {
    this.collector = collector;
    this.queries = collector.queries();
    this.keys = keys;
    this.namespaces = namespaces;
    this.meters = meters;
    this.maxBody = collector.settings().maxBodyBytes();
  }

  public static void install(RoutesConfig routes, TraceCollector collector, ApiKeyService keys, NamespaceDirectory namespaces,
      TraceMeters meters) {
    TraceRoutes r = new TraceRoutes(collector, keys, namespaces, meters);
    routes.before(V2 + "/*", new AuthFilter(keys, "", true));
    routes.post(SPANS, r::post);
    routes.post(INGEST, r::postToIngestUrl);
    routes.get(V2 + "/services", ctx -> ctx.json(r.queries.services(r.namespace(ctx, Action.READ), Requests.queryName(ctx, "tenant"))));
    routes.get(SPANS, ctx -> ctx.json(r.queries.spanNames(r.namespace(ctx, Action.READ), service(ctx), Requests.queryName(ctx, "tenant"))));
    routes.get(V2 + "/remoteServices",
        ctx -> ctx.json(r.queries.remoteServices(r.namespace(ctx, Action.READ), service(ctx), Requests.queryName(ctx, "tenant"))));
    routes.get(V2 + "/traces", r::traces);
    routes.get(V2 + "/trace/{traceId}", r::trace);
    routes.get(V2 + "/traceMany", r::traceMany);
    routes.get(V2 + "/dependencies", r::dependencies);
    routes.get(V2 + "/autocompleteKeys", ctx -> {
      r.namespace(ctx, Action.READ);
      ctx.json(r.queries.autocompleteKeys());
    });
    routes.get(V2 + "/autocompleteValues", ctx -> ctx.json(r.queries.autocompleteValues(
        r.namespace(ctx, Action.READ), required(ctx, "key"), Requests.queryName(ctx, "tenant"))));
  }

  /** The ingest URL of a key of role ingest: the path a sender is configured with (after the server's base URL). */
  static String ingestPath(String namespace, String key) {
    return INGEST.replace("{namespace}", namespace).replace("{ingestKey}", key);
  }

  private void post(Context ctx) {
    ingest(ctx, namespace(ctx, Action.INGEST));
  }

  /** As {@link #post}, authenticated by the key in the path; errors name the path with the key redacted. */
  private void postToIngestUrl(Context ctx) {
    String instance = ingestPath(ctx.pathParam("namespace"), "***");
    try {
      Principal p = keys.authenticate(ctx.pathParam("ingestKey"))
          .orElseThrow(() -> new ApiException(401, "unauthorized", "unknown or revoked ingest key"));
      if (p.role() != Role.INGEST) {
        throw ApiException.forbidden("an ingest URL takes a key of role ingest only (a key of role "
            + p.role().wire() + " belongs in an Authorization header)");
      }
      String ns = Requests.name(ctx, "namespace");
      p.require(Action.INGEST, ns);
      ingest(ctx, ns);
    } catch (ApiException e) {
      ctx.attribute(Problems.WRITTEN, Boolean.TRUE);
      ctx.status(e.status()).contentType(io.tenantry.api.Problem.MEDIA_TYPE)
          .result(Problems.bytes(e.status(), e.type(), e.getMessage(), instance, e.field()));
    } catch (RuntimeException e) {
      String id = UUID.randomUUID().toString();
      LOG.error("unexpected failure of POST {} (error id {})", instance, id, e);
      ctx.status(500).contentType(io.tenantry.api.Problem.MEDIA_TYPE).result(Problems.bytes(500, "internal-error",
          "internal error (id " + id + "); the server log has the details", instance, null));
    }
  }

  private void ingest(Context ctx, String ns) {
    boolean proto3 = proto3(ctx, ns);
    List<Span> spans;
    try {
      spans = SpanDecoding.decode(body(ctx, ns), proto3);
      SpanDecoding.checkLimits(spans, collector.settings().maxTagLength());
    } catch (IllegalArgumentException e) {
      throw rejected(ns, ApiException.badRequest(null, e.getMessage()));
    }
    switch (collector.accept(ns, spans)) {
      case ACCEPTED -> ctx.status(202);
      case TOO_MANY -> throw rejected(ns, new ApiException(413, "payload-too-large", spans.size()
          + " spans in one request (expected: at most " + collector.settings().intakeSpans() + ")"));
      case FULL -> {
        ctx.header("Retry-After", "1");
        throw new ApiException(503, "overloaded", "the span intake is full; retry later");
      }
    }
  }

  private ApiException rejected(String ns, ApiException e) {
    meters.rejected(ns, e.type());
    return e;
  }

  /** JSON (also when no type is given, as Zipkin does) or proto3; anything else is 415. */
  private boolean proto3(Context ctx, String ns) {
    String type = ctx.contentType();
    String media = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (media.equals("application/x-protobuf") || media.equals("application/protobuf")) {
      return true;
    }
    if (media.isEmpty() || media.equals("application/json") || media.endsWith("+json")) {
      return false;
    }
    throw rejected(ns, new ApiException(415, "unsupported-media-type", "Content-Type: '" + Names.shorten(type)
        + "' (expected: application/json or application/x-protobuf)"));
  }

  /** The body, inflated if gzipped; at most {@code maxBody} bytes before and after inflation, else 413. */
  private byte[] body(Context ctx, String ns) {
    long declared = ctx.contentLength();
    if (declared > maxBody) {
      throw tooLarge(ns, declared + " bytes");
    }
    String encoding = ctx.header("Content-Encoding");
    boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
      throw rejected(ns, new ApiException(415, "unsupported-media-type",
          "Content-Encoding: '" + Names.shorten(encoding) + "' (expected: gzip or none)"));
    }
    byte[] bytes;
    try {
      InputStream in = ctx.req().getInputStream();
      // a declared plain body is read straight into its array; anything else grows up to the limit
      bytes = gzip ? readAtMost(new GZIPInputStream(in), ns) : declared >= 0 ? in.readNBytes((int) declared)
          : readAtMost(in, ns);
    } catch (IOException e) {
      throw rejected(ns, ApiException.badRequest(null, "unreadable body" + (gzip ? " (not gzip?)" : "")));
    }
    if (bytes.length == 0) {
      throw rejected(ns, ApiException.badRequest(null, "empty body (expected: a list of spans)"));
    }
    return bytes;
  }

  private byte[] readAtMost(InputStream in, String ns) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = in.read(buffer)) != -1; ) {
      if (out.size() + n > maxBody) {
        throw tooLarge(ns, "more than " + maxBody + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private ApiException tooLarge(String ns, String size) {
    return rejected(ns, new ApiException(413, "payload-too-large",
        "body of " + size + " (expected: at most " + maxBody + " bytes, inflated)"));
  }

  private void traces(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    QueryRequest.Builder q = QueryRequest.newBuilder()
        .serviceName(lower(ctx.queryParam("serviceName")))
        .remoteServiceName(lower(ctx.queryParam("remoteServiceName")))
        .spanName(lower(ctx.queryParam("spanName")))
        .parseAnnotationQuery(ctx.queryParam("annotationQuery"))
        .minDuration(longParam(ctx, "minDuration"))
        .maxDuration(longParam(ctx, "maxDuration"));
    QueryRequest request = window(ctx, q, false).limit(intParam(ctx, "limit", DEFAULT_LIMIT)).build();
    writeTraces(ctx, queries.traces(ns, request, Requests.queryName(ctx, "tenant")));
  }

  private void trace(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    String id = traceId("traceId", ctx.pathParam("traceId"));
    List<Span> spans = queries.trace(ns, id, Requests.queryName(ctx, "tenant"));
    if (spans.isEmpty()) {
      throw ApiException.notFound("trace " + id);
    }
    jsonBytes(ctx, SpanBytesEncoder.JSON_V2.encodeList(spans));
  }

  private void traceMany(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    String tenant = Requests.queryName(ctx, "tenant");
    List<List<Span>> found = new ArrayList<>();
    for (String raw : required(ctx, "traceIds").split(",", -1)) {
      List<Span> spans = queries.trace(ns, traceId("traceIds", raw.trim()), tenant);
      if (!spans.isEmpty()) {
        found.add(spans);
      }
    }
    writeTraces(ctx, found);
  }

  /** A JSON list of traces, each a Zipkin v2 JSON list of spans. */
  private static void writeTraces(Context ctx, List<List<Span>> traces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write('[');
    for (int i = 0; i < traces.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(SpanBytesEncoder.JSON_V2.encodeList(traces.get(i)));
    }
    out.write(']');
    jsonBytes(ctx, out.toByteArray());
  }

  private void dependencies(Context ctx) {
    String ns = namespace(ctx, Action.READ);
    QueryRequest window = window(ctx, QueryRequest.newBuilder(), true).limit(1).build();
    jsonBytes(ctx, DependencyLinkBytesEncoder.JSON_V1.encodeList(
        queries.dependencies(ns, window.endTs(), window.lookback(), Requests.queryName(ctx, "tenant"))));
  }

  /** A query builder with endTs (now if absent, unless required) and lookback (a day if absent). */
  private static Query window(Context ctx, QueryRequest.Builder q, boolean endTsRequired) {
    Long endTs = longParam(ctx, "endTs");
    if (endTs == null && endTsRequired) {
      throw ApiException.badRequest("endTs", "endTs: missing (expected: epoch milliseconds)");
    }
    Long lookback = longParam(ctx, "lookback");
    return new Query(q.endTs(endTs == null ? System.currentTimeMillis() : endTs)
        .lookback(lookback == null ? DEFAULT_LOOKBACK : lookback));
  }

  /** A QueryRequest builder whose checks answer 400 with Zipkin's own message. */
  private record Query(QueryRequest.Builder builder) {
    Query limit(int limit) {
      return new Query(builder.limit(limit));
    }

    QueryRequest build() {
      try {
        return builder.build();
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(null, e.getMessage());
      }
    }
  }

  /**
   * The namespace a request is about: the credential's own, or {@code ?namespace=} (which a platform admin must
   * give); checks that the caller may do {@code action} in it.
   */
  private String namespace(Context ctx, Action action) {
    Principal p = Requests.principal(ctx);
    String asked = ctx.queryParam("namespace");
    String ns;
    if (asked != null) {
      try {
        ns = Names.name("namespace", asked);
      } catch (ValidationException e) {
        throw Requests.badInput(e);
      }
    } else if (p.platformAdmin()) {
      throw ApiException.badRequest("namespace", "namespace: missing (expected: ?namespace=<name> for a platform admin)");
    } else {
      ns = p.namespace();
    }
    p.require(action, ns);
    return Existing.namespace(namespaces, ns);
  }

  private static String service(Context ctx) {
    return lower(required(ctx, "serviceName"));
  }

  private static String required(Context ctx, String param) {
    String value = ctx.queryParam(param);
    if (value == null || value.isBlank()) {
      throw ApiException.badRequest(param, param + ": missing");
    }
    return value;
  }

  private static String traceId(String param, String raw) {
    try {
      return Span.normalizeTraceId(raw);
    } catch (RuntimeException e) {
      throw ApiException.badRequest(param, param + ": '" + Names.shorten(raw)
          + "' (expected: a trace id of 16 or 32 lower-hex characters)");
    }
  }

  private static Long longParam(Context ctx, String param) {
    String raw = ctx.queryParam(param);
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(param, param + ": '" + Names.shorten(raw) + "' (expected: a whole number)");
    }
  }

  private static int intParam(Context ctx, String param, int absent) {
    Long value = longParam(ctx, param);
    if (value == null) {
      return absent;
    }
    if (value < 1 || value > Integer.MAX_VALUE) {
      throw ApiException.badRequest(param, param + ": " + value + " (expected: 1.." + Integer.MAX_VALUE + ")");
    }
    return value.intValue();
  }

  private static String lower(String value) {
    return value == null || value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
  }

  private static void jsonBytes(Context ctx, byte[] json) {
    ctx.contentType("application/json").result(json);
  }
}
