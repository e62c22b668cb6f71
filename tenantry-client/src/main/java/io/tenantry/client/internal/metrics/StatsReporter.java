package io.tenantry.client.internal.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Headers;
import io.tenantry.api.stats.StatsReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts each interval's statistics to {@code POST /api/v1/namespaces/{ns}/stats}, asynchronously: a report never
 * holds a thread of the client nor touches a call. An interval the control plane cannot take is dropped, said
 * once in the log when reporting starts failing and once when it works again. With several control-plane
 * servers, a failure moves on to the next one. Thread-safe.
 */
final class StatsReporter {
  private static final Logger LOG = LoggerFactory.getLogger(StatsReporter.class);

  private final StatsRecorder recorder;
  private final String service;
  private final Supplier<String> instance;
  private final List<URI> servers;
  private final String path;
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper mapper;
  private final Duration timeout;
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();

  StatsReporter(StatsRecorder recorder, String service, Supplier<String> instance, List<URI> servers,
      String namespace, String apiKey, HttpClient http, ObjectMapper mapper, Duration timeout) {
    this.recorder = recorder;
    this.service = service;
    this.instance = instance;
    this.servers = List.copyOf(servers);
    this.path = ApiPaths.expand(ApiPaths.STATS, namespace);
    this.authorization = Headers.BEARER + apiKey;
    this.http = http;
    this.mapper = mapper;
    this.timeout = timeout;
  }

  /** Drains the interval's statistics and posts them; returns at once. */
  void report() {
    List<StatsReport> reports;
    try {
      reports = recorder.drain(service, instance.get());
    } catch (RuntimeException e) {
      LOG.warn("statistics of this interval dropped: {}", e.toString());
      return;
    }
    for (StatsReport r : reports) {
      post(r);
    }
  }

  private void post(StatsReport report) {
    int index = Math.floorMod(current.get(), servers.size());
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(servers.get(index).resolve(path)).timeout(timeout)
          .header(Headers.AUTHORIZATION, authorization).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(report))).build();
    } catch (java.io.IOException e) {
      LOG.warn("statistics of this interval dropped: {}", e.toString());
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
      if (e != null) {
        current.compareAndSet(index, index + 1);
        failed("control plane " + servers.get(index) + " unreachable (" + e.getClass().getSimpleName() + ")");
      } else if (r.statusCode() / 100 != 2) {
        failed("control plane answered " + r.statusCode() + ": " + io.tenantry.api.Names.shorten(r.body()));
      } else if (failing.compareAndSet(true, false)) {
        LOG.info("statistics reach the control plane again");
      }
    });
  }

  private void failed(String why) {
    if (failing.compareAndSet(false, true)) {
      LOG.warn("statistics dropped until the control plane takes them again: {}", why);
    } else {
      LOG.debug("statistics of this interval dropped: {}", why);
    }
  }
}
