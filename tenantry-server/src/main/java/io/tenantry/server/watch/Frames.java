package io.tenantry.server.watch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.EventType;
import io.tenantry.api.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serializes events into Server-Sent-Event frames, once per event: the same bytes then go to every
 * matching stream. JSON never holds a raw newline, so each frame has exactly one {@code data:} line.
 * Thread-safe.
 */
final class Frames {
  static final String ERROR_EVENT = "ERROR";

  private final ObjectMapper mapper;

  Frames(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** {@code id: <revision>}, {@code event: <type>}, {@code data: <WatchEvent JSON>}. */
  byte[] event(EventType type, String kind, long revision, Object object, String reason) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    write(buf, "id: " + revision + "\nevent: " + type.wire() + "\ndata: ");
    try (JsonGenerator g = mapper.getFactory().createGenerator(buf)) {
      g.writeStartObject();
      g.writeStringField("type", type.wire());
      if (kind != null) {
        g.writeStringField("kind", kind);
      }
      g.writeNumberField("revision", revision);
      if (object != null) {
        g.writeFieldName("object");
        mapper.writeValue(g, object);
      }
      if (reason != null) {
        g.writeStringField("reason", reason);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a watch event", e);
    }
    write(buf, "\n\n");
    return buf.toByteArray();
  }

  byte[] bookmark(long revision) {
    return event(EventType.BOOKMARK, null, revision, null, null);
  }

  /** A final {@code event: ERROR} carrying a problem; the client lists again and re-watches. */
  byte[] error(int status, String type, String detail) {
    Problem p = new Problem(Problem.TYPE_PREFIX + type, type, status, detail, null, null, null);
    try {
      return ("event: " + ERROR_EVENT + "\ndata: " + mapper.writeValueAsString(p) + "\n\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a problem", e);
    }
  }

  private static void write(ByteArrayOutputStream buf, String s) {
    buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
