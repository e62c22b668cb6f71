package io.tenantry.client.internal.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Names;
import io.tenantry.client.internal.CallGovernor;
import io.tenantry.client.internal.ClientConfig;
import io.tenantry.client.internal.Door;
import io.tenantry.client.internal.resilience.ResilienceStats;
import java.net.http.HttpClient;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything a client measures, wired to its governor (outbound attempts) and its door (inbound requests): the
 * Micrometer meters if a registry was given, and the per-tenant statistics posted to the control plane every
 * interval unless that is off. Nothing is observed when neither is on. {@link #start} schedules the reports;
 * {@link #close} stops them and removes the client's meters from the registry. Thread-safe.
 */
public final class ClientMetrics implements AutoCloseable {
  /** Most distinct called services and methods tagged; later ones are tagged {@code _other}. */
  static final int MAX_SERVICE_TAGS = 500;
  static final int MAX_METHOD_TAGS = 50;
  static final int MAX_TYPE_TAGS = 32;

  private final MetricsSettings settings;
  private final MeterSet meters; // null: no registry
  private final StatsReporter reporter; // null: no reports
  private ScheduledFuture<?> reports;

  /**
   * @param inbound  the door's resilience counters, or null if the client serves no service
   * @param instance the id of this process's instance of its service, or null before it registers
   */
  public ClientMetrics(ClientConfig config, CallGovernor governor, Door door,
      Supplier<ResilienceStats.Inbound> inbound, HttpClient controlHttp, ObjectMapper mapper,
      Supplier<String> instance) {
    this.settings = config.metrics();
    String service = config.serviceName();
    this.meters = settings.registry() == null ? null : new MeterSet(settings.registry());
    StatsRecorder stats = settings.statsInterval().isZero() ? null : new StatsRecorder(settings.statsTenants());
    this.reporter = stats == null ? null : new StatsReporter(stats, service, instance, config.servers(),
        config.namespace(), config.apiKey(), controlHttp, mapper, config.requestTimeout());
    TagValues tenants = new TagValues(settings.tenantTags(), Names::isName);
    TagValues methods = new TagValues(MAX_METHOD_TAGS, ClientMetrics::isMethod);
    OutboundMeters outbound = null;
    if (meters != null) {
      ResilienceGauges gauges = new ResilienceGauges(meters, governor::resilienceStats);
      outbound = new OutboundMeters(meters, new TagValues(MAX_SERVICE_TAGS, Names::isName), methods, tenants,
          gauges::service);
      if (service != null && inbound != null) {
        gauges.door(service, inbound);
      }
    }
    if (outbound != null || stats != null) {
      governor.record(new OutboundRecorder(outbound, stats == null ? null : new OutboundStats(stats)));
    }
    if (service != null && (meters != null || stats != null)) {
      DoorMeters doorMeters = meters == null ? null : new DoorMeters(meters, service, methods, tenants,
          new TagValues(MAX_TYPE_TAGS, Names::isName));
      door.addObserver(new DoorRecorder(doorMeters, stats));
    }
  }

  /** Schedules the statistics reports on {@code scheduler} (each one returns at once: the post is asynchronous). */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (reporter != null && reports == null) {
      long every = settings.statsInterval().toMillis();
      reports = scheduler.scheduleAtFixedRate(reporter::report, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the reports, sends what was counted since the last one, and removes this client's meters. */
  @Override
  public synchronized void close() {
    if (reports != null) {
      reports.cancel(false);
      reporter.report(); // the last interval, best effort (asynchronous like every report)
    }
    if (meters != null) {
      meters.removeAll();
    }
  }

  /** An HTTP method or a name a {@code Governor} caller gave: short, letters, digits and {@code _-.}. */
  static boolean isMethod(String m) {
    if (m.isEmpty() || m.length() > 32) {
      return false;
    }
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}
