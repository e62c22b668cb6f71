package io.tenantry.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WireEnum;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Spec of an {@code alert} policy: rules the control plane evaluates over the statistics the SDKs report
 * for the policy's service ({@code *}: each service of the namespace), and the webhooks told when an alert
 * fires or resolves. Immutable; validated in the constructors.
 *
 * @param rules     1 to 64 rules, names unique
 * @param notifiers 0 to 8 webhooks, each told of every event of every rule
 */
public record AlertSpec(List<Rule> rules, List<Notifier> notifiers) {
  public static final int MAX_RULES = 64;
  public static final int MAX_NOTIFIERS = 8;
  /** A rule's {@code tenant} that evaluates each tenant separately (one alert per tenant that breaches). */
  public static final String EACH_TENANT = "*";
  /** A rule's {@code instance} that evaluates each instance separately (one alert per instance that breaches). */
  public static final String EACH_INSTANCE = "*";

  public AlertSpec {
    rules = Checks.list("rules", rules);
    if (rules.isEmpty() || rules.size() > MAX_RULES) {
      throw new ValidationException("rules", rules.size() + " rules (expected: 1 to " + MAX_RULES + ")");
    }
    Checks.unique("rules", rules.stream().map(Rule::name).toList());
    notifiers = Checks.list("notifiers", notifiers);
    if (notifiers.size() > MAX_NOTIFIERS) {
      throw new ValidationException("notifiers", notifiers.size() + " notifiers (expected: at most " + MAX_NOTIFIERS + ")");
    }
  }

  /** What a rule measures over its window. */
  public enum Metric implements WireEnum {
    /** Errors per call admitted to the handler, 0 to 1. */
    ERROR_RATE("error-rate"),
    /** A latency percentile of the handlers, in milliseconds. */
    LATENCY("latency"),
    /** Calls refused at the door (rate limit, quota, bulkhead, overload) per call, 0 to 1. */
    REJECTION_RATE("rejection-rate"),
    /** Calls refused at the door, counted. */
    REJECTIONS("rejections");

    private final String wire;

    Metric(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static Metric of(String wire) {
      return WireEnum.parse(values(), "metric", wire);
    }

    @Override
    public String toString() {
      return wire;
    }
  }

  /** How urgent an alert is; passed on to the notifiers as the label {@code severity}. */
  public enum Severity implements WireEnum {
    INFO("info"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wire;

    Severity(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static Severity of(String wire) {
      return WireEnum.parse(values(), "severity", wire);
    }

    @Override
    public String toString() {
      return wire;
    }
  }

  /**
   * One condition: {@code metric} above {@code above} over the last {@code window}, with at least
   * {@code minCalls} calls in it, held for {@code holdFor}.
   *
   * @param name       unique in the policy; the alert's name
   * @param metric     what is measured
   * @param above      the threshold, exceeded strictly: a rate 0 to 1, a latency in ms (up to 1 hour), a count
   * @param percentile for {@code latency} only (and required there): {@code p50}, {@code p75}, {@code p90},
   *                   {@code p95}, {@code p99} or {@code p99.9}
   * @param window     how far back the calls are counted, {@code 10s} to {@code 1h}; default {@code 5m}
   * @param minCalls   no alert on fewer calls in the window (0 to 10^9; default 10): a few calls say little
   * @param holdFor    how long the condition must hold before the alert fires, {@code 0s} to {@code 1h};
   *                   default {@code 0s} (fires at the first evaluation that finds it)
   * @param tenant     absent: the service's calls together; a tenant id: that tenant's calls;
   *                   {@code *}: each tenant's calls separately, one alert per tenant
   * @param instance   absent: the calls of all the service's instances together; an instance id: the calls
   *                   that instance served; {@code *}: each instance's calls separately, one alert per instance
   *                   (combines with {@code tenant}: one alert per instance and tenant)
   * @param severity   {@code info}, {@code warning} (default) or {@code critical}
   */
  public record Rule(String name, Metric metric, Double above, String percentile, String window, Long minCalls,
      String holdFor, String tenant, String instance, Severity severity) {
    public static final List<String> PERCENTILES = List.of("p50", "p75", "p90", "p95", "p99", "p99.9");
    static final double MAX_LATENCY_MS = 3_600_000;

    public Rule {
      Names.name("name", name);
      Names.required("metric", metric);
      Names.required("above", above);
      double max = switch (metric) {
        case ERROR_RATE, REJECTION_RATE -> 1;
        case LATENCY -> MAX_LATENCY_MS;
        case REJECTIONS -> 1e12;
      };
      if (!(above >= 0 && above < max)) { // NaN fails too
        throw new ValidationException("above", above + " (expected: 0 to below " + (long) max + " for " + metric + ")");
      }
      if (metric == Metric.LATENCY) {
        Names.required("percentile", percentile);
        if (!PERCENTILES.contains(percentile)) {
          throw new ValidationException("percentile", "'" + Names.shorten(percentile) + "' (expected: one of " + PERCENTILES + ")");
        }
      } else if (percentile != null) {
        throw new ValidationException("percentile", "set for metric " + metric + " (expected: only with latency)");
      }
      window = Checks.duration("window", window, "5m", Duration.ofSeconds(10), Duration.ofHours(1));
      minCalls = Checks.range("minCalls", minCalls, 10, 0, 1_000_000_000L);
      holdFor = Checks.duration("holdFor", holdFor, "0s", Duration.ZERO, Duration.ofHours(1));
      if (tenant != null && !EACH_TENANT.equals(tenant)) {
        Names.name("tenant", tenant);
      }
      if (instance != null && !EACH_INSTANCE.equals(instance)) {
        Names.id("instance", instance);
      }
      severity = severity == null ? Severity.WARNING : severity;
    }

    public Duration windowDuration() {
      return DurationText.parse("window", window, Duration.ZERO, Duration.ofHours(1));
    }

    public Duration holdForDuration() {
      return DurationText.parse("holdFor", holdFor, Duration.ZERO, Duration.ofHours(1));
    }

    /** The quantile of {@link #percentile}, e.g. 0.999 for {@code p99.9}; only for {@code latency}. */
    public double quantile() {
      return new java.math.BigDecimal(percentile.substring(1)).movePointLeft(2).doubleValue();
    }

    /** True if each tenant is evaluated on its own. */
    public boolean eachTenant() {
      return EACH_TENANT.equals(tenant);
    }

    /** True if each instance is evaluated on its own. */
    public boolean eachInstance() {
      return EACH_INSTANCE.equals(instance);
    }
  }

  /**
   * A webhook: the control plane POSTs a JSON event to {@code url} when an alert fires and when it resolves.
   *
   * @param url http or https, absolute, with a host, without user info or fragment, at most 2048 characters
   */
  public record Notifier(String url) {
    public static final int MAX_URL = 2048;

    public Notifier {
      Names.required("url", url);
      Names.text("url", url, MAX_URL);
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new ValidationException("url", "'" + Names.shorten(url) + "' (expected: an absolute http or https URL)");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.isOpaque()) {
        throw new ValidationException("url", "'" + Names.shorten(url) + "' (expected: an absolute http or https URL with a host)");
      }
      if (uri.getRawUserInfo() != null) {
        throw new ValidationException("url", "has user info (expected: none; credentials in a URL leak into logs)");
      }
      if (uri.getRawFragment() != null) {
        throw new ValidationException("url", "has a fragment (expected: none)");
      }
    }
  }
}
