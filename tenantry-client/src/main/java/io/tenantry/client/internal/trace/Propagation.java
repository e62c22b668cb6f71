package io.tenantry.client.internal.trace;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.tenantry.api.Headers;
import io.tenantry.api.Traceparent;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Trace context on the wire. In: W3C {@code traceparent}/{@code tracestate} first, else B3 (the single {@code b3}
 * header or the multi {@code X-B3-*} ones), and W3C {@code baggage}. Out: W3C {@code traceparent},
 * {@code tracestate} and {@code baggage}. Hostile input never fails a call: what is malformed or oversized is
 * ignored. Stateless.
 */
public final class Propagation {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";
  /** The longest baggage header read (as {@link io.tenantry.client.internal.Baggage} reads the tenant). */
  static final int MAX_BAGGAGE = io.tenantry.client.internal.Baggage.MAX_LENGTH;
  private static final B3Propagator B3 = B3Propagator.injectingSingleHeader();
  private static final TextMapSetter<BiConsumer<String, String>> SETTER = (into, k, v) -> into.accept(k, v);

  private Propagation() {}

  /**
   * The context a request arrives with: its remote parent, if any, and its baggage.
   *
   * @param all every value of a header by lower-case name (empty if none)
   */
  public static Context extract(Function<String, List<String>> all) {
    Context context = Context.root();
    SpanContext parent = W3CTraceContext.extract(all.apply(TRACEPARENT), all.apply(TRACESTATE));
    if (parent != null) {
      context = context.with(Span.wrap(parent));
    } else if (first(all, "b3") != null || first(all, "x-b3-traceid") != null) {
      context = B3.extract(context, all, new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, List<String>> carrier) {
          return List.of();
        }

        @Override
        public String get(Function<String, List<String>> carrier, String key) {
          String v = first(carrier, key.toLowerCase(Locale.ROOT));
          return v == null || v.length() > 256 ? null : v;
        }
      });
    }
    List<String> baggage = all.apply("baggage");
    if (baggage != null && !baggage.isEmpty()) {
      String header = baggage.size() == 1 ? baggage.get(0) : String.join(",", baggage);
      if (header.length() <= MAX_BAGGAGE) {
        context = W3CBaggagePropagator.getInstance().extract(context, header, new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(String carrier) {
            return List.of("baggage");
          }

          @Override
          public String get(String carrier, String key) {
            return "baggage".equals(key) ? carrier : null;
          }
        });
      }
    }
    return context;
  }

  /** Writes {@code traceparent} (and {@code tracestate} if any) of {@code span}; nothing for an invalid one. */
  public static void inject(SpanContext span, BiConsumer<String, String> into) {
    if (!span.isValid()) {
      return;
    }
    if (span.getTraceState().isEmpty()) { // the common case, in one string
      into.accept(TRACEPARENT, new StringBuilder(Traceparent.LENGTH).append("00-")
          .append(span.getTraceId()).append('-').append(span.getSpanId()).append('-')
          .append(span.getTraceFlags().asHex()).toString());
    } else {
      W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(span)), into, SETTER);
    }
  }

  /** The baggage of {@code context} as a W3C header, or null if it has none but the tenant. */
  public static String baggage(Context context) {
    Baggage b = Baggage.fromContextOrNull(context);
    if (b == null || b.isEmpty() || b.size() == 1 && b.getEntryValue(Headers.BAGGAGE_TENANT) != null) {
      return null; // nothing but the tenant, which every call writes itself
    }
    String[] header = new String[1];
    W3CBaggagePropagator.getInstance().inject(context, header, (h, k, v) -> h[0] = v);
    return header[0] == null ? null : bounded(header[0]);
  }

  /**
   * {@code header} cut to its first {@link io.tenantry.client.internal.Baggage#MAX_MEMBERS} members and
   * {@link #MAX_BAGGAGE} characters: what a hostile caller sent is not amplified down the chain.
   */
  static String bounded(String header) {
    int members = 0;
    int end = 0;
    while (end < header.length()) {
      int comma = header.indexOf(',', end);
      int next = comma < 0 ? header.length() : comma;
      if (next > MAX_BAGGAGE || ++members > io.tenantry.client.internal.Baggage.MAX_MEMBERS) {
        break;
      }
      end = comma < 0 ? header.length() : comma + 1;
    }
    String cut = header.substring(0, end);
    return cut.endsWith(",") ? cut.substring(0, cut.length() - 1) : cut.isEmpty() ? null : cut;
  }

  private static String first(Function<String, List<String>> all, String name) {
    List<String> v = all.apply(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
