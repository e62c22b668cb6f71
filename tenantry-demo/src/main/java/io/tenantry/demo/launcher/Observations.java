package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the control plane's observability API shows after the run, read the way an operator would: per tenant
 * the trace of an order (a retried one where there is one), the dependency graph of the services, the RED figures
 * each service reported per tenant, and the alert events. Every figure comes from the API's answers. Immutable.
 *
 * @param traces       tenant → the trace of one of its orders (tenants without one are left out)
 * @param dependencies the links between services the traces show
 * @param red          per service (order, payment) and tenant: rate, errors, duration
 * @param alerts       the alert events of the run, newest first
 * @param problems     what could not be read, one line each (the demo prints them instead of failing)
 */
record Observations(Map<String, TraceTree> traces, List<Link> dependencies, List<Red> red, List<Alert> alerts,
    List<String> problems) {
  /** {@code parent} called {@code child} {@code calls} times, {@code errors} of them failed. */
  record Link(String parent, String child, long calls, long errors) {}

  /** What one service served one tenant over the run, as its instances reported it. */
  record Red(String service, String tenant, long calls, double ratePerSecond, double errorRate, long rejections,
      double p50Millis, double p99Millis) {}

  /** One alert event (fired or resolved), newest first; tenant and instance null unless the alert is of one. */
  record Alert(String state, String rule, String service, String tenant, String instance, double value,
      double threshold, String at) {}

  static final Observations NONE = new Observations(Map.of(), List.of(), List.of(), List.of(), List.of());

  /** Reads every part it can; one part that fails is named in {@code problems}, the others are still read. */
  static Observations read(AdminApi api, String namespace, List<String> tenants, long lookbackMillis) {
    List<String> problems = new ArrayList<>();
    Map<String, TraceTree> traces = new LinkedHashMap<>();
    for (String tenant : tenants) {
      try {
        TraceTree t = orderTrace(api, namespace, tenant, lookbackMillis);
        if (t != null) {
          traces.put(tenant, t);
        }
      } catch (IOException e) {
        problems.add("trace of " + tenant + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Observations(traces, List.of(), List.of(), List.of(), problems);
      }
    }
    List<Red> red = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    try {
      String window = Math.max(10, lookbackMillis / 1000 + 10) + "s";
      for (String service : List.of("order", "payment")) {
        JsonNode rows = api.get("/api/v1/namespaces/" + enc(namespace) + "/stats?service=" + service + "&window="
            + window).path("rows");
        for (JsonNode row : rows) {
          JsonNode served = row.path("served");
          if (row.hasNonNull("tenant") && tenants.contains(row.path("tenant").asText()) && served.path("calls").asLong() > 0) {
            red.add(new Red(service, row.path("tenant").asText(), served.path("calls").asLong(),
                served.path("ratePerSecond").asDouble(), served.path("errorRate").asDouble(),
                served.path("rejections").asLong(), served.path("p50Millis").asDouble(),
                served.path("p99Millis").asDouble()));
          }
        }
      }
      for (JsonNode e : api.get("/api/v1/namespaces/" + enc(namespace) + "/alerts/history?limit=50").path("items")) {
        alerts.add(new Alert(e.path("state").asText(), e.path("rule").asText(), e.path("service").asText(),
            e.path("tenant").asText(null), e.path("instance").asText(null), e.path("value").asDouble(), e.path("threshold").asDouble(),
            e.path("at").asText()));
      }
    } catch (IOException e) {
      problems.add("statistics and alerts: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Link> links = new ArrayList<>();
    try {
      JsonNode deps = api.get("/api/v2/dependencies?namespace=" + enc(namespace) + "&endTs=" + System.currentTimeMillis()
          + "&lookback=" + lookbackMillis);
      for (JsonNode d : deps) {
        links.add(new Link(d.path("parent").asText(), d.path("child").asText(), d.path("callCount").asLong(),
            d.path("errorCount").asLong()));
      }
    } catch (IOException e) {
      problems.add("dependencies: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Observations(Map.copyOf(traces), List.copyOf(links), List.copyOf(red), List.copyOf(alerts),
        List.copyOf(problems));
  }

  /** The tenant's most recent order trace whose payment was retried, else its most recent order trace. */
  private static TraceTree orderTrace(AdminApi api, String namespace, String tenant, long lookbackMillis)
      throws IOException, InterruptedException {
    // an order placed: order called payment (reads of an order call user only)
    String base = "/api/v2/traces?namespace=" + enc(namespace) + "&serviceName=order&remoteServiceName=payment&tenant="
        + enc(tenant)
        + "&endTs=" + System.currentTimeMillis() + "&lookback=" + lookbackMillis;
    JsonNode retried = api.get(base + "&annotationQuery=" + enc("tenantry.attempt=2") + "&limit=10");
    TraceTree best = deepest(retried);
    return best != null ? best : deepest(api.get(base + "&limit=10"));
  }

  /** Of several traces, the one reaching the most services (a whole order: order, user and payment). */
  private static TraceTree deepest(JsonNode traces) {
    TraceTree best = null;
    for (JsonNode spans : traces) {
      TraceTree t = TraceTree.of(spans);
      if (best == null || t.services().size() > best.services().size()) {
        best = t;
      }
    }
    return best;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
