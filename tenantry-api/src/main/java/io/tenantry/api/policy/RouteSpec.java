package io.tenantry.api.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WireEnum;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Spec of a {@code route} policy: where the calls to a service go. Applied by the calling SDK.
 *
 * @param rules    tried in order, the first whose match holds decides; a call no rule matches goes to every candidate
 * @param affinity optional: consistent hashing on the tenant with bounded load
 * @param locality optional: prefer instances in the caller's zone, spill over when it is unhealthy
 */
public record RouteSpec(List<Rule> rules, Affinity affinity, Locality locality) {
  public static final int MAX_RULES = 64;

  public RouteSpec {
    rules = Checks.list("rules", rules);
    if (rules.size() > MAX_RULES) {
      throw new ValidationException("rules", rules.size() + " rules (expected: at most " + MAX_RULES + ")");
    }
    Checks.unique("rules", rules.stream().map(Rule::name).toList());
  }

  /**
   * One routing rule.
   *
   * @param name         unique in the policy; named in errors and metrics
   * @param match        which calls it takes (default: every call)
   * @param destinations subsets with weights; a call goes to one, chosen at random by weight
   * @param onEmpty      what a call does when its chosen subset has no eligible instance (default {@code fail})
   * @param timeout      per-attempt timeout of the calls it takes, overriding the resilience policy's
   */
  public record Rule(String name, RequestMatch match, List<Destination> destinations, OnEmpty onEmpty, String timeout) {
    public Rule {
      Names.name("name", name);
      match = match == null ? RequestMatch.ANY : match;
      destinations = Checks.list("destinations", destinations);
      if (destinations.isEmpty()) {
        throw new ValidationException("destinations", "empty (expected: at least one subset with a weight)");
      }
      if (destinations.stream().mapToLong(Destination::weight).sum() <= 0) {
        throw new ValidationException("destinations", "every weight is 0 (expected: a total weight above 0)");
      }
      onEmpty = onEmpty == null ? OnEmpty.FAIL : onEmpty;
      timeout = Checks.duration("timeout", timeout, null, Duration.ofMillis(1), Duration.ofMinutes(10));
    }

    /** The rule's timeout, or null for the resilience policy's. */
    public Duration timeoutDuration() {
      return timeout == null ? null : DurationText.parse("timeout", timeout, Duration.ZERO, Duration.ofDays(1));
    }
  }

  /**
   * Instances whose labels hold every entry of {@code subset}, taking {@code weight} of the rule's calls.
   * The keys {@code version}, {@code zone} and {@code tenant} name the instance's fields of those names;
   * any other key names one of its labels. An empty subset is every candidate.
   */
  public record Destination(Map<String, String> subset, Integer weight) {
    public Destination {
      subset = Names.labels("subset", subset);
      weight = Checks.range("weight", weight, 1, 0, Names.MAX_WEIGHT);
    }
  }

  /** What a call does when its rule's chosen subset has no eligible instance. */
  public enum OnEmpty implements WireEnum {
    /** Fail the call with an error naming the rule and the subset. */
    FAIL("fail"),
    /** Go to every eligible instance, as if no rule matched. */
    FALLBACK("fallback");

    private final String wire;

    OnEmpty(String wire) {
      this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static OnEmpty of(String wire) {
      return WireEnum.parse(values(), "onEmpty", wire);
    }
  }

  /**
   * Consistent hashing on the tenant: a tenant's calls prefer the same instances (warm caches), while no
   * instance takes more than {@code loadFactor} times the average load in flight (bounded load), so a
   * large tenant spills over instead of overloading its instance.
   *
   * @param hashOn     what to hash: {@code tenant} (the only value today)
   * @param loadFactor at most this multiple of the average in-flight load per instance, 1.0 to 10 (default 1.25)
   */
  public record Affinity(String hashOn, Double loadFactor) {
    public Affinity {
      hashOn = hashOn == null ? "tenant" : hashOn;
      if (!hashOn.equals("tenant")) {
        throw new ValidationException("hashOn", "'" + Names.shorten(hashOn) + "' (expected: tenant)");
      }
      loadFactor = loadFactor == null ? 1.25 : loadFactor;
      if (!(loadFactor >= 1.0 && loadFactor <= 10.0)) {
        throw new ValidationException("loadFactor", loadFactor + " (expected: 1.0 to 10)");
      }
    }
  }

  /**
   * Zone preference: calls go to instances in the caller's zone while at least {@code minHealthyPercent}
   * of that zone's candidates are healthy (UP and not ejected); below it, to every zone.
   */
  public record Locality(Integer minHealthyPercent) {
    public Locality {
      minHealthyPercent = Checks.range("minHealthyPercent", minHealthyPercent, 70, 0, 100);
    }
  }
}
