package io.tenantry.client.internal;

import java.io.IOException;

/**
 * Server-Sent Events, line by line (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * {@code id:}, {@code event:} and {@code data:} fields, comments starting with a colon, an empty line
 * ends an event. An event's data is bounded against a hostile or broken server. Not thread-safe: one
 * per stream.
 */
public final class SseParser {
  /** One complete event; {@code id} and {@code event} may be null. */
  public record Event(String id, String event, String data) {}

  private final int maxData;
  private String id;
  private String event;
  private StringBuilder data;

  public SseParser(int maxData) {
    this.maxData = maxData;
  }

  /** Feeds one line (without its end of line); returns the event it completes, or null. */
  public Event line(String line) throws IOException {
    if (line.isEmpty()) {
      if (data == null && event == null && id == null) {
        return null;
      }
      Event e = new Event(id, event, data == null ? "" : data.toString());
      id = null;
      event = null;
      data = null;
      return e;
    }
    if (line.charAt(0) == ':') {
      return null;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "id" -> id = value;
      case "event" -> event = value;
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value.length());
        } else {
          data.append('\n');
        }
        if (data.length() + value.length() > maxData) {
          throw new IOException("watch event data exceeds " + maxData + " characters");
        }
        data.append(value);
      }
      default -> {
        // retry and unknown fields are ignored, as the specification says
      }
    }
    return null;
  }
}
