package io.tenantry.server.trace;

import io.tenantry.api.Names;
import java.util.List;
import java.util.Map;
import zipkin2.Annotation;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Turns a POST body into spans, once, with Zipkin's own decoders (so what Zipkin refuses is refused here, with
 * Zipkin's reason), and holds spans to the collector's size limits. Stateless.
 */
public final class SpanDecoding {
  private SpanDecoding() {}

  /**
   * The spans of a Zipkin v2 JSON list, or of a proto3 {@code ListOfSpans} if {@code proto3}; throws
   * IllegalArgumentException saying what is wrong (malformed, a bad or missing id, nesting too deep).
   */
  public static List<Span> decode(byte[] body, boolean proto3) {
    try {
      return (proto3 ? SpanBytesDecoder.PROTO3 : SpanBytesDecoder.JSON_V2).decodeList(body);
    } catch (StackOverflowError e) {
      throw new IllegalArgumentException("malformed span list: nested too deeply");
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalArgumentException("malformed span list (expected: Zipkin v2 "
          + (proto3 ? "proto3 ListOfSpans" : "JSON, a list of span objects") + "): " + Names.shorten(why));
    }
  }

  /** Throws IllegalArgumentException naming the first span whose tag or annotation is longer than {@code max}. */
  public static void checkLimits(List<Span> spans, int max) {
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      if (!span.tags().isEmpty()) {
        for (Map.Entry<String, String> tag : span.tags().entrySet()) {
          if (tag.getKey().length() > max || tag.getValue().length() > max) {
            throw tooLong(i, span, "tag '" + Names.shorten(tag.getKey()) + "'",
                Math.max(tag.getKey().length(), tag.getValue().length()), max);
          }
        }
      }
      for (Annotation a : span.annotations()) {
        if (a.value().length() > max) {
          throw tooLong(i, span, "an annotation", a.value().length(), max);
        }
      }
    }
  }

  private static IllegalArgumentException tooLong(int index, Span span, String what, int length, int max) {
    return new IllegalArgumentException("span " + index + " (traceId " + span.traceId() + ", id " + span.id() + "): "
        + what + " has " + length + " characters (expected: at most " + max + ")");
  }
}
