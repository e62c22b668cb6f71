package io.tenantry.client.internal.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.QuotaSpec;
import io.tenantry.api.policy.RateLimitSpec;
import io.tenantry.client.RequestHeaders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits and quotas of one service, compiled from its {@code rate-limit} and {@code quota}
 * policies (those naming it and those naming {@code *}): {@link #check} is the one call its inbound
 * filter makes per request. Every limit whose match holds must admit the call; rate limits are checked
 * before quotas (a call refused for its rate does not use quota), and a token taken by an earlier limit
 * is given back when a later one refuses.
 *
 * <p>Immutable and thread-safe: a policy change compiles a new instance that takes over the buckets
 * of this one ({@link #compile} with {@code previous}), so no bucket is reset by a push.
 */
public final class DoorLimits {
  private static final Logger log = LoggerFactory.getLogger(DoorLimits.class);
  private static final LimitRule[] NO_RULES = new LimitRule[0];

  private final String service;
  private final List<Policy> policies;
  private final int shares;
  private final LimitRule[] rules;

  private DoorLimits(String service, List<Policy> policies, int shares, LimitRule[] rules) {
    this.service = service;
    this.policies = policies;
    this.shares = shares;
    this.rules = rules;
  }

  /** No limits: every call is admitted. */
  public static DoorLimits none(String service) {
    return new DoorLimits(Objects.requireNonNull(service, "service"), List.of(), 1, NO_RULES);
  }

  /**
   * Compiles the limits of {@code service} from {@code policies} (any policies: those of other kinds
   * or services are ignored; one whose spec does not parse is skipped with a warning), taking over
   * the buckets and counters of {@code previous} (may be null) for every limit that still exists.
   */
  public static DoorLimits compile(String service, Collection<Policy> policies, DoorLimits previous,
      LimitEnvironment env) {
    Objects.requireNonNull(service, "service");
    List<Policy> mine = new ArrayList<>();
    for (Policy p : policies) {
      if ((p.kind() == PolicyKind.RATE_LIMIT || p.kind() == PolicyKind.QUOTA)
          && (service.equals(p.service()) || PolicySpec.ANY_SERVICE.equals(p.service()))) {
        mine.add(p);
      }
    }
    // Rate limits first, then quotas; by name, the service's own before '*' on a tie.
    mine.sort(Comparator.comparing((Policy p) -> p.kind() == PolicyKind.QUOTA).thenComparing(Policy::name)
        .thenComparing(Policy::anyService));
    Map<String, RuleState> old = new HashMap<>();
    if (previous != null) {
      for (LimitRule r : previous.rules) {
        old.put(id(r.kind, r.policy, r.name), r.state());
      }
    }
    int shares = env.shares();
    List<LimitRule> rules = new ArrayList<>();
    for (Policy p : mine) {
      List<LimitDefinition> defs;
      try {
        defs = definitions(p);
      } catch (ValidationException e) {
        log.warn("Skipping {} policy '{}' of service {}: {}", p.kind(), p.name(), p.service(), e.getMessage());
        continue;
      }
      boolean cluster = env.backend() != null && (p.kind() == PolicyKind.QUOTA || clusterMode(p));
      for (LimitDefinition d : defs) {
        String kind = p.kind().wire();
        RuleState state = state(old.get(id(kind, p.name(), d.name())), d, p, cluster, env, service);
        rules.add(new LimitRule(kind, p.name(), p.dryRun(), service, d, shares, state, env.backend()));
      }
    }
    return new DoorLimits(service, List.copyOf(mine), shares, rules.toArray(NO_RULES));
  }

  /** This configuration compiled again for {@code env}'s current instance count (same policies). */
  DoorLimits reshare(LimitEnvironment env) {
    return compile(service, policies, this, env);
  }

  /** Checks a call with no header conditions to evaluate (limits matching on headers see none). */
  public Refusal check(String tenant, String tier, String caller, String method, String path) {
    return check(tenant, tier, caller, method, path, null, RequestHeaders.none());
  }

  /**
   * Counts one call against every limit whose match holds. Returns null if the call is admitted
   * (allocation-free), else the 429 to answer. Any of tenant, tier, caller may be null (none).
   *
   * @param headers reads {@code request}'s headers, only for limits matching on headers
   */
  public <R> Refusal check(String tenant, String tier, String caller, String method, String path, R request,
      RequestHeaders<? super R> headers) {
    LimitRule[] rs = rules;
    for (int i = 0; i < rs.length; i++) {
      LimitRule r = rs[i];
      if (!r.matches(tenant, tier, caller, method, path, request, headers)) {
        continue;
      }
      Refusal refusal = r.acquire(tenant, tier, caller);
      if (refusal != null) {
        refundBefore(i, tenant, tier, caller, method, path, request, headers);
        return refusal;
      }
    }
    return null;
  }

  /** Counters of every limit, in check order. */
  public List<LimitStats> stats() {
    List<LimitStats> out = new ArrayList<>(rules.length);
    for (LimitRule r : rules) {
      out.add(r.stats());
    }
    return List.copyOf(out);
  }

  public boolean isEmpty() {
    return rules.length == 0;
  }

  /** The number of shares local limits are divided into (UP instances when compiled, at least 1). */
  public int shares() {
    return shares;
  }

  public String service() {
    return service;
  }

  private <R> void refundBefore(int refusedAt, String tenant, String tier, String caller, String method, String path,
      R request, RequestHeaders<? super R> headers) {
    for (int j = 0; j < refusedAt; j++) {
      LimitRule r = rules[j];
      if (!r.dryRun && r.matches(tenant, tier, caller, method, path, request, headers)) {
        r.refund(tenant, tier, caller);
      }
    }
  }

  private static boolean clusterMode(Policy p) {
    return PolicySpecs.parse(p.spec(), RateLimitSpec.class).mode() == RateLimitSpec.Mode.CLUSTER;
  }

  private static List<LimitDefinition> definitions(Policy p) {
    List<LimitDefinition> defs = new ArrayList<>();
    if (p.kind() == PolicyKind.QUOTA) {
      for (QuotaSpec.Quota q : PolicySpecs.parse(p.spec(), QuotaSpec.class).quotas()) {
        defs.add(LimitDefinition.of(q));
      }
    } else {
      for (RateLimitSpec.Limit l : PolicySpecs.parse(p.spec(), RateLimitSpec.class).limits()) {
        defs.add(LimitDefinition.of(l));
      }
    }
    return defs;
  }

  private static RuleState state(RuleState old, LimitDefinition d, Policy p, boolean cluster, LimitEnvironment env,
      String service) {
    KeyedBuckets local = old != null && old.definition().by() == d.by() ? old.local()
        : new KeyedBuckets(localFactory(env), env.maxKeysPerLimit(), env.time());
    KeyedBuckets remote = null;
    if (cluster) {
      remote = old != null && old.remote() != null && old.definition().equals(d) && old.version() == p.version()
          ? old.remote()
          : new KeyedBuckets(remoteFactory(env.backend(), p, d, service), env.maxKeysPerLimit(), env.time());
    }
    return new RuleState(d, p.version(), local, remote, old != null ? old.counters() : new RuleCounters());
  }

  private static KeyedBuckets.Factory localFactory(LimitEnvironment env) {
    return new KeyedBuckets.Factory() {
      @Override
      public Bucket create(String key, BucketConfiguration configuration) {
        // Synchronized rather than lock-free: Bucket4j's lock-free bucket copies its state on every consume.
        LocalBucketBuilder b = Bucket.builder().withCustomTimePrecision(env.time())
            .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED);
        for (Bandwidth bw : configuration.getBandwidths()) {
          b.addLimit(bw);
        }
        return b.build();
      }

      @Override
      public boolean local() {
        return true;
      }
    };
  }

  private static KeyedBuckets.Factory remoteFactory(RemoteBuckets backend, Policy p, LimitDefinition d, String service) {
    String prefix = "tenantry:limit:" + p.namespace() + ":" + service + ":" + p.kind().wire() + ":" + p.name() + ":"
        + d.name() + ":";
    long version = p.version();
    return new KeyedBuckets.Factory() {
      @Override
      public Bucket create(String key, BucketConfiguration configuration) {
        return backend.bucket(prefix + key, configuration, version);
      }

      @Override
      public boolean local() {
        return false;
      }
    };
  }

  private static String id(String kind, String policy, String limit) {
    return kind + "/" + policy + "/" + limit;
  }
}
