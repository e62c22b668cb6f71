package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace as the demo prints it: its spans (Zipkin v2 JSON, as the control plane's query API answers them)
 * as a tree, a line each with the service, the kind, the name, the duration and the tags that tell what
 * happened (instance, attempt, outcome). Immutable.
 *
 * @param traceId  the trace's id
 * @param lines    the spans in tree order, parents before their children, siblings by start time
 */
record TraceTree(String traceId, List<Line> lines) {
  /** One span: {@code depth} 0 for a root (or a span whose parent is not in the trace). */
  record Line(int depth, String service, String kind, String name, long durationMicros, Map<String, String> tags) {
    String tag(String key) {
      return tags.get(key);
    }
  }

  static TraceTree of(JsonNode spans) {
    Map<String, List<JsonNode>> children = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (JsonNode s : spans) {
      ids.add(s.path("id").asText());
    }
    List<JsonNode> roots = new ArrayList<>();
    for (JsonNode s : spans) {
      String parent = s.path("parentId").asText(null);
      if (parent == null || !ids.contains(parent) || parent.equals(s.path("id").asText())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
      }
    }
    List<Line> lines = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode root : byStart(roots)) {
      walk(root, 0, children, lines, seen);
    }
    String traceId = spans.size() == 0 ? "" : spans.get(0).path("traceId").asText();
    return new TraceTree(traceId, List.copyOf(lines));
  }

  private static void walk(JsonNode span, int depth, Map<String, List<JsonNode>> children, List<Line> lines,
      Set<String> seen) {
    String id = span.path("id").asText();
    if (!seen.add(id + "/" + span.path("kind").asText())) {
      return; // a span listed twice (shared client/server id) is drawn once
    }
    Map<String, String> tags = new HashMap<>();
    span.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    lines.add(new Line(depth, span.path("localEndpoint").path("serviceName").asText("?"),
        span.path("kind").asText("LOCAL"), span.path("name").asText(""), span.path("duration").asLong(), Map.copyOf(tags)));
    for (JsonNode child : byStart(children.getOrDefault(id, List.of()))) {
      walk(child, depth + 1, children, lines, seen);
    }
  }

  private static List<JsonNode> byStart(List<JsonNode> spans) {
    List<JsonNode> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(s -> s.path("timestamp").asLong()));
    return sorted;
  }

  /** The services that took part, in tree order. */
  List<String> services() {
    return lines.stream().map(Line::service).distinct().toList();
  }

  /** The most attempts any outbound call of the trace made (1 if none was retried). */
  int mostAttempts() {
    return lines.stream().map(l -> l.tag("tenantry.attempt")).filter(a -> a != null && a.matches("\\d+"))
        .mapToInt(Integer::parseInt).max().orElse(1);
  }

  /** The tree as indented text, a line per span. */
  String render(String indent) {
    StringBuilder b = new StringBuilder();
    for (Line l : lines) {
      String what = l.service() + " " + l.kind().toLowerCase() + " " + l.name();
      StringBuilder tags = new StringBuilder();
      for (String key : List.of("tenantry.instance", "tenantry.attempt", "tenantry.outcome", "http.status_code",
          "error")) {
        String v = l.tag(key);
        if (v != null && !v.isEmpty()) {
          tags.append(tags.length() == 0 ? "" : " ").append(key.replace("tenantry.", "")).append('=').append(v);
        }
      }
      b.append(indent).append("  ".repeat(l.depth())).append(String.format("%-" + Math.max(8, 52 - 2 * l.depth())
          + "s %7.1f ms  %s%n", what, l.durationMicros() / 1000.0, tags));
    }
    return b.toString();
  }
}
