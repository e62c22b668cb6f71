package io.tenantry.demo.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Instance;
import io.tenantry.demo.service.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@code GET /stats} of every demo instance and keeps the last answer of each, so that an
 * instance that was stopped still counts with what it reported last. Thread-safe.
 */
final class StatsCollector {
  /** The last counters an instance reported: tenant → counter → value. */
  record InstanceStats(String service, String instance, String dedicatedTo, Map<String, Map<String, Long>> tenants,
      Map<String, Long> policyEffects) {
    InstanceStats(String service, String instance, String dedicatedTo, Map<String, Map<String, Long>> tenants) {
      this(service, instance, dedicatedTo, tenants, Map.of());
    }

    /** The SDK's policy counter {@code <kind>/<service>/<name>/<counter>}, 0 if it does not report it. */
    long effect(String kind, String service, String name, String counter) {
      return policyEffects.getOrDefault(kind + "/" + service + "/" + name + "/" + counter, 0L);
    }

    long get(String tenant, String counter) {
      Map<String, Long> c = tenants.get(tenant);
      return c == null ? 0 : c.getOrDefault(counter, 0L);
    }

    /** {@code counter} summed over every tenant. */
    long sum(String counter) {
      long n = 0;
      for (Map<String, Long> c : tenants.values()) {
        n += c.getOrDefault(counter, 0L);
      }
      return n;
    }

    /** Every counter whose name starts with {@code prefix}, summed over every tenant. */
    long sumPrefix(String prefix) {
      long n = 0;
      for (Map<String, Long> c : tenants.values()) {
        for (Map.Entry<String, Long> e : c.entrySet()) {
          if (e.getKey().startsWith(prefix)) {
            n += e.getValue();
          }
        }
      }
      return n;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ObjectMapper json;
  private final Map<String, String> authorities = new ConcurrentHashMap<>();
  private final Map<String, InstanceStats> last = new ConcurrentHashMap<>();

  StatsCollector(ObjectMapper json) {
    this.json = json;
  }

  /** Polls every instance seen so far or given now; an instance that does not answer keeps its last stats. */
  void poll(Collection<Instance> current) {
    current.forEach(i -> authorities.put(i.id(), i.authority()));
    authorities.forEach(this::poll);
  }

  /** Polls one instance now (e.g. just before it is stopped). */
  void poll(String id) {
    String authority = authorities.get(id);
    if (authority != null) {
      poll(id, authority);
    }
  }

  private void poll(String id, String authority) {
    InstanceStats s = fetch(authority);
    if (s != null) {
      last.put(id, s); // else stopped or busy: keep what it said last
    }
  }

  /** The stats an instance reports now, or null if it does not answer (not kept: see {@link #poll}). */
  InstanceStats fetch(String authority) {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + authority + ServiceProcess.INTERNAL + "/stats"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(json.readTree(response.body())) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static InstanceStats parse(JsonNode node) {
    Map<String, Map<String, Long>> tenants = new TreeMap<>();
    node.path("tenants").properties().forEach(t -> {
      Map<String, Long> counters = new TreeMap<>();
      t.getValue().properties().forEach(c -> counters.put(c.getKey(), c.getValue().asLong()));
      tenants.put(t.getKey(), counters);
    });
    Map<String, Long> effects = new TreeMap<>();
    for (JsonNode e : node.path("policyEffects")) {
      String prefix = e.path("kind").asText() + "/" + e.path("service").asText() + "/" + e.path("name").asText() + "/";
      e.path("counts").properties().forEach(c -> effects.merge(prefix + c.getKey(), c.getValue().asLong(), Long::sum));
    }
    JsonNode dedicated = node.path("dedicatedTo");
    return new InstanceStats(node.path("service").asText(), node.path("instance").asText(),
        dedicated.isNull() || dedicated.isMissingNode() ? null : dedicated.asText(), tenants, effects);
  }

  /**
   * How many instances of {@code service} the given instance discovers now, from its {@code /health};
   * 0 if it does not answer.
   */
  int discovered(Instance instance, String service) {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + instance.authority() + ServiceProcess.INTERNAL
              + "/health"))
          .timeout(Duration.ofSeconds(2)).GET().build();
      HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? json.readTree(response.body()).path("discovered").path(service).asInt(0) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** The last stats of every instance, by instance id. */
  Map<String, InstanceStats> snapshot() {
    return new TreeMap<>(last);
  }
}
