package io.tenantry.client.internal.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cases of the W3C trace-context test suite (w3c/trace-context test/test.py), as our extraction and injection
 * see them: the request's headers in, the traceparent/tracestate a call made while serving it would send out.
 * "continued" means the outbound traceparent keeps the inbound trace id (with a new parent id); "restarted" means
 * a new trace id. Plus B3 single and multi header cases.
 */
class TraceContextVectorsTest {
  private static final String ID = "12345678901234567890123456789012";
  private static final String PARENT = "1234567890123456";
  private static final String TP = "00-" + ID + "-" + PARENT + "-01";
  private static final String TP0 = "00-" + ID + "-" + PARENT + "-00";

  /** One request: its headers in order (name, value), whether the trace continues, the tracestate sent on. */
  record Vector(String name, List<String[]> headers, boolean continued, Map<String, String> state) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Vector v(String name, boolean continued, String... nameValues) {
    return v(name, continued, null, nameValues);
  }

  private static Vector v(String name, boolean continued, Map<String, String> state, String... nameValues) {
    List<String[]> h = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      h.add(new String[] {nameValues[i], nameValues[i + 1]});
    }
    return new Vector(name, h, continued, state);
  }

  static Stream<Arguments> vectors() {
    String keyNoVendor = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
    String keyVendor = keyNoVendor + "@a-z0-9_-*/";
    StringBuilder allowed = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != ',' && c != '=') {
        allowed.append(c);
      }
    }
    String value = allowed.toString();
    String members32 = members(1, 32);
    return Stream.of(
        v("both missing", false),
        v("traceparent only", true, "traceparent", TP),
        v("traceparent duplicated", false, "traceparent", "00-" + "12345678901234567890123456789011" + "-" + PARENT
            + "-01", "traceparent", TP),
        v("header name trace-parent", false, "trace-parent", TP),
        v("header name trace.parent", false, "trace.parent", TP),
        v("header name TraceParent", true, "TraceParent", TP),
        v("header name TrAcEpArEnT", true, "TrAcEpArEnT", TP),
        v("header name TRACEPARENT", true, "TRACEPARENT", TP),
        v("version 00 trailing dot", false, "traceparent", TP + "."),
        v("version 00 extra fields", false, "traceparent", TP + "-what-the-future-will-be-like"),
        v("version cc", true, "traceparent", "cc" + TP.substring(2)),
        v("version cc extra fields", true, "traceparent", "cc" + TP.substring(2) + "-what-the-future-will-be-like"),
        v("version cc extra after dot", false, "traceparent", "cc" + TP.substring(2) + ".what-the-future-will-be-like"),
        v("version ff", false, "traceparent", "ff" + TP.substring(2)),
        v("version .0", false, "traceparent", ".0" + TP.substring(2)),
        v("version 0.", false, "traceparent", "0." + TP.substring(2)),
        v("version 000", false, "traceparent", "0" + TP),
        v("version 0000", false, "traceparent", "00" + TP),
        v("version 0", false, "traceparent", TP.substring(1)),
        v("trace id all zero", false, "traceparent", "00-00000000000000000000000000000000-" + PARENT + "-01"),
        v("trace id leading dot", false, "traceparent", "00-." + ID.substring(1) + "-" + PARENT + "-01"),
        v("trace id trailing dot", false, "traceparent", "00-" + ID.substring(0, 31) + ".-" + PARENT + "-01"),
        v("trace id too long", false, "traceparent", "00-" + ID + "3-" + PARENT + "-01"),
        v("trace id too short", false, "traceparent", "00-" + ID.substring(1) + "-" + PARENT + "-01"),
        v("trace id upper case", false, "traceparent", "00-" + "ABCDEF78901234567890123456789012-" + PARENT + "-01"),
        v("parent id all zero", false, "traceparent", "00-" + ID + "-0000000000000000-01"),
        v("parent id leading dot", false, "traceparent", "00-" + ID + "-.234567890123456-01"),
        v("parent id trailing dot", false, "traceparent", "00-" + ID + "-123456789012345.-01"),
        v("parent id too long", false, "traceparent", "00-" + ID + "-12345678901234567-01"),
        v("parent id too short", false, "traceparent", "00-" + ID + "-123456789012345-01"),
        v("flags .0", false, "traceparent", "00-" + ID + "-" + PARENT + "-.0"),
        v("flags 0.", false, "traceparent", "00-" + ID + "-" + PARENT + "-0."),
        v("flags too long", false, "traceparent", "00-" + ID + "-" + PARENT + "-001"),
        v("flags too short", false, "traceparent", "00-" + ID + "-" + PARENT + "-1"),
        v("ows leading space", true, "traceparent", " " + TP),
        v("ows leading tab", true, "traceparent", "\t" + TP),
        v("ows trailing space", true, "traceparent", TP + " "),
        v("ows trailing tab", true, "traceparent", TP + "\t"),
        v("ows both", true, "traceparent", "\t " + TP + " \t"),
        v("oversized traceparent", false, "traceparent", TP + "-" + "x".repeat(100_000)),
        v("tracestate without traceparent", false, Map.of(), "tracestate", "foo=1,bar=2"),
        v("tracestate inherited", true, ordered("foo", "1", "bar", "2"), "traceparent", TP0, "tracestate", "foo=1,bar=2"),
        v("tracestate name trace-state", true, Map.of(), "traceparent", TP0, "trace-state", "foo=1"),
        v("tracestate name trace.state", true, Map.of(), "traceparent", TP0, "trace.state", "foo=1"),
        v("tracestate name TraceState", true, Map.of("foo", "1"), "traceparent", TP0, "TraceState", "foo=1"),
        v("tracestate name TrAcEsTaTe", true, Map.of("foo", "1"), "traceparent", TP0, "TrAcEsTaTe", "foo=1"),
        v("tracestate name TRACESTATE", true, Map.of("foo", "1"), "traceparent", TP0, "TRACESTATE", "foo=1"),
        v("tracestate empty", true, Map.of(), "traceparent", TP0, "tracestate", ""),
        v("tracestate then empty", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "foo=1",
            "tracestate", ""),
        v("empty then tracestate", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "",
            "tracestate", "foo=1"),
        v("tracestate in several headers", true, ordered("foo", "1", "bar", "2", "rojo", "1", "congo", "2", "baz",
            "3"), "traceparent", TP0, "tracestate", "foo=1,bar=2", "tracestate", "rojo=1,congo=2", "tracestate",
            "baz=3"),
        v("tracestate duplicated key", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1,foo=1"),
        v("tracestate duplicated key other value", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1,foo=2"),
        v("tracestate duplicated across headers", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1",
            "tracestate", "foo=1"),
        v("tracestate duplicated across headers other value", true, Map.of(), "traceparent", TP0, "tracestate",
            "foo=1", "tracestate", "foo=2"),
        v("tracestate all allowed characters", true, Map.of(keyNoVendor, value), "traceparent", TP0, "tracestate",
            keyNoVendor + "=" + value),
        v("tracestate all allowed characters with vendor", true, Map.of(keyVendor, value), "traceparent", TP0,
            "tracestate", keyVendor + "=" + value),
        v("tracestate ows", true, ordered("foo", "1", "bar", "2", "baz", "3"), "traceparent", TP0, "tracestate",
            "foo=1 \t , \t bar=2, \t baz=3"),
        v("tracestate ows tabs", true, ordered("foo", "1", "bar", "2", "baz", "3"), "traceparent", TP0, "tracestate",
            "foo=1\t \t,\t \tbar=2,\t \tbaz=3"),
        v("tracestate leading space", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", " foo=1"),
        v("tracestate leading tab", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "\tfoo=1"),
        v("tracestate trailing space", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "foo=1 "),
        v("tracestate trailing tab", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "foo=1\t"),
        v("tracestate both ows", true, Map.of("foo", "1"), "traceparent", TP0, "tracestate", "\t foo=1 \t"),
        v("tracestate key with space", true, Map.of(), "traceparent", TP0, "tracestate", "foo =1"),
        v("tracestate key upper case", true, Map.of(), "traceparent", TP0, "tracestate", "FOO=1"),
        v("tracestate key with dot", true, Map.of(), "traceparent", TP0, "tracestate", "foo.bar=1"),
        v("tracestate vendor empty", true, Map.of(), "traceparent", TP0, "tracestate", "foo@=1,bar=2"),
        v("tracestate tenant empty", true, Map.of(), "traceparent", TP0, "tracestate", "@foo=1,bar=2"),
        v("tracestate two at signs", true, Map.of(), "traceparent", TP0, "tracestate", "foo@@bar=1,bar=2"),
        v("tracestate two vendors", true, Map.of(), "traceparent", TP0, "tracestate", "foo@bar@baz=1,bar=2"),
        v("tracestate 32 members", true, parse(members32), "traceparent", TP0, "tracestate", members(1, 10),
            "tracestate", members(11, 20), "tracestate", members(21, 30), "tracestate", members(31, 32)),
        v("tracestate 33 members", true, Map.of(), "traceparent", TP0, "tracestate", members(1, 10),
            "tracestate", members(11, 20), "tracestate", members(21, 30), "tracestate", members(31, 33)),
        v("tracestate key 256", true, ordered("foo", "1", "z".repeat(256), "1"), "traceparent", TP0, "tracestate",
            "foo=1", "tracestate", "z".repeat(256) + "=1"),
        v("tracestate key 257", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1", "tracestate",
            "z".repeat(257) + "=1"),
        v("tracestate tenant 241 vendor 14", true, ordered("foo", "1", "t".repeat(241) + "@" + "v".repeat(14), "1"),
            "traceparent", TP0, "tracestate", "foo=1", "tracestate", "t".repeat(241) + "@" + "v".repeat(14) + "=1"),
        v("tracestate tenant 242", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1", "tracestate",
            "t".repeat(242) + "@v=1"),
        v("tracestate vendor 15", true, Map.of(), "traceparent", TP0, "tracestate", "foo=1", "tracestate",
            "t@" + "v".repeat(15) + "=1"),
        v("tracestate value with equals", true, Map.of(), "traceparent", TP0, "tracestate", "foo=bar=baz"),
        v("tracestate value empty", true, Map.of(), "traceparent", TP0, "tracestate", "foo=,bar=3"),
        // B3, accepted on input only.
        v("b3 single", true, "b3", ID + "-" + PARENT + "-1"),
        v("b3 single with parent span", true, "b3", ID + "-" + PARENT + "-1-" + "0000000000000001"),
        v("b3 single 64-bit trace id", true, "b3", ID.substring(16) + "-" + PARENT + "-1"),
        v("b3 single garbage", false, "b3", "not-a-b3-header"),
        v("b3 multi", true, "X-B3-TraceId", ID, "X-B3-SpanId", PARENT, "X-B3-Sampled", "1"),
        v("b3 multi lower case", true, "x-b3-traceid", ID, "x-b3-spanid", PARENT, "x-b3-sampled", "0"),
        v("b3 multi without span id", false, "X-B3-TraceId", ID),
        v("w3c wins over b3", true, "traceparent", TP, "b3", "a" + ID.substring(1) + "-" + PARENT + "-1")
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void extractThenInject(Vector v) {
    Map<String, List<String>> in = new HashMap<>();
    for (String[] h : v.headers()) {
      in.computeIfAbsent(h[0].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h[1]);
    }
    Context context = Propagation.extract(name -> in.getOrDefault(name, List.of()));
    SpanContext parent = Span.fromContext(context).getSpanContext();
    // The span of a call made while serving the request: a child of the parent, or a new root.
    String traceId = parent.isValid() ? parent.getTraceId() : "0af7651916cd43dd8448eb211c80319c";
    SpanContext child = SpanContext.create(traceId, "b7ad6b7169203331", parent.getTraceFlags(), parent.getTraceState());
    Map<String, String> out = new LinkedHashMap<>();
    Propagation.inject(child, out::put);

    String traceparent = out.get("traceparent");
    assertThat(traceparent).matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");
    String outTrace = traceparent.substring(3, 35);
    String expectedTrace = v.name().contains("64-bit") ? "0000000000000000" + ID.substring(16) : ID;
    if (v.continued()) {
      assertThat(outTrace).isEqualTo(expectedTrace);
      assertThat(traceparent.substring(36, 52)).isNotEqualTo(PARENT);
    } else {
      assertThat(outTrace).isNotEqualTo(ID).isNotEqualTo("00000000000000000000000000000000");
    }
    if (v.state() != null) {
      Map<String, String> sent = parse(out.getOrDefault("tracestate", ""));
      assertThat(sent).containsExactlyEntriesOf(v.state());
    }
  }

  private static String members(int from, int to) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i <= to; i++) {
      b.append(b.length() == 0 ? "" : ",").append(String.format("bar%02d=%02d", i, i));
    }
    return b.toString();
  }

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, String> parse(String tracestate) {
    Map<String, String> m = new LinkedHashMap<>();
    if (tracestate.isEmpty()) {
      return m;
    }
    for (String member : tracestate.split(",")) {
      int eq = member.indexOf('=');
      m.put(member.substring(0, eq), member.substring(eq + 1));
    }
    return m;
  }
}
