package io.tenantry.client.internal.limit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.tenantry.api.policy.LimitKey;
import io.tenantry.client.RequestHeaders;
import java.util.HashMap;
import java.util.Map;

/**
 * One compiled limit or quota of one policy: its condition, the configuration of each key's bucket
 * (this instance's share, and the whole for cluster mode) and the stores holding the buckets.
 * Immutable; its stores and counters ({@link RuleState}) are shared with the rules it replaces and
 * the one that replaces it. Thread-safe.
 *
 * <p>Keys: the tenant, tier or caller id of the call, {@code "-"} when the call has none (all calls
 * without one share that bucket); the service's name for a limit by service.
 */
final class LimitRule {
  static final String NO_KEY = "-";

  final String kind;
  final String policy;
  final String name;
  final boolean dryRun;
  private final LimitDefinition definition;
  private final String service;
  private final LimitKey by;
  private final boolean tierMatters;
  private final RequestCondition condition;
  private final String type;
  private final Sizes localSizes;
  private final Sizes clusterSizes;
  private final RuleState state;
  private final RemoteBuckets backend;

  LimitRule(String kind, String policy, boolean dryRun, String service, LimitDefinition definition, int shares,
      RuleState state, RemoteBuckets backend) {
    this.kind = kind;
    this.policy = policy;
    this.name = definition.name();
    this.dryRun = dryRun;
    this.definition = definition;
    this.service = service;
    this.by = definition.by();
    this.tierMatters = definition.tierMatters();
    this.condition = RequestCondition.of(definition.match());
    this.type = definition.quota() ? Refusal.QUOTA_EXCEEDED : Refusal.RATE_LIMITED;
    this.localSizes = new Sizes(definition, shares);
    this.clusterSizes = state.remote() == null ? null : new Sizes(definition, 1);
    this.state = state;
    this.backend = state.remote() == null ? null : backend;
  }

  LimitDefinition definition() {
    return definition;
  }

  RuleState state() {
    return state;
  }

  <R> boolean matches(String tenant, String tier, String caller, String method, String path, R request,
      RequestHeaders<? super R> headers) {
    return condition == null || condition.test(tenant, tier, caller, method, path, request, headers);
  }

  /**
   * Takes one token from the call's bucket: null if admitted (or if this dry-run rule would refuse:
   * counted only), else the refusal. The caller has checked {@link #matches}.
   */
  Refusal acquire(String tenant, String tier, String caller) {
    String key = key(tenant, tier, caller);
    KeyedBuckets.Entry e = null;
    boolean admitted = false;
    if (backend != null) {
      if (backend.available()) {
        try {
          e = entry(state.remote(), clusterSizes, key, tier);
          admitted = e.bucket.tryConsume(1);
        } catch (RuntimeException failure) {
          backend.failed(failure);
          e = null;
        }
      }
      if (e == null) {
        state.counters().fallbacks.increment();
      }
    }
    if (e == null) {
      e = entry(state.local(), localSizes, key, tier);
      admitted = e.bucket.tryConsume(1);
    }
    if (admitted) {
      state.counters().admitted.increment();
      return null;
    }
    if (dryRun) {
      state.counters().wouldRefuse.increment();
      return null;
    }
    state.counters().refused.increment();
    return refusal(e);
  }

  /** Gives back the token an admitted call took, when a later rule refused the call. */
  void refund(String tenant, String tier, String caller) {
    String key = key(tenant, tier, caller);
    KeyedBuckets store = backend != null && backend.available() ? state.remote() : state.local();
    KeyedBuckets.Entry e = store.find(key);
    if (e != null) {
      try {
        e.bucket.addTokens(1);
      } catch (RuntimeException failure) {
        backend.failed(failure);
      }
    }
  }

  LimitStats stats() {
    RuleCounters c = state.counters();
    return new LimitStats(kind, policy, name, dryRun, c.admitted.sum(), c.refused.sum(), c.wouldRefuse.sum(),
        c.fallbacks.sum());
  }

  private String key(String tenant, String tier, String caller) {
    String k = switch (by) {
      case SERVICE -> service;
      case TENANT -> tenant;
      case TIER -> tier;
      case CALLER -> caller;
    };
    return k == null ? NO_KEY : k;
  }

  private KeyedBuckets.Entry entry(KeyedBuckets store, Sizes sizes, String key, String tier) {
    KeyedBuckets.Entry e = store.find(key);
    if (e == null) {
      e = store.create(key, sizes.configuration(key, tier), sizes.defaults);
    }
    if (e.owner != this || tierMatters && !same(e.tier, tier)) {
      adopt(e, sizes, tier);
    }
    return e;
  }

  /**
   * Makes {@code e}'s bucket follow this rule: replaces its configuration if this rule sizes it
   * differently (tokens kept as they are, capped at the new capacity), so a reconfiguration neither
   * resets a bucket nor hands out a burst of free tokens.
   */
  private void adopt(KeyedBuckets.Entry e, Sizes sizes, String tier) {
    synchronized (e) {
      BucketConfiguration wanted = KeyedBuckets.OVERFLOW_KEY.equals(e.key) ? sizes.defaults
          : sizes.configuration(e.key, tier);
      if (!wanted.equals(e.configuration)) {
        e.bucket.replaceConfiguration(wanted, TokensInheritanceStrategy.AS_IS);
        e.configuration = wanted;
      }
      e.tier = tier;
      if (e.owner != this) {
        e.body = null;
        e.owner = this;
      }
    }
  }

  private Refusal refusal(KeyedBuckets.Entry e) {
    long nanos;
    try {
      nanos = e.bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    } catch (RuntimeException failure) { // a remote bucket whose backend just failed
      nanos = 1_000_000_000L;
    }
    long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    byte[] body = e.body;
    if (body == null) {
      body = RefusalBodies.render(type, detail(e));
      e.body = body;
    }
    return new Refusal(Refusal.STATUS, seconds, type, body);
  }

  /** E.g. {@code tenant 'initech' is over limit 'per-tenant' of rate-limit policy 'order-limits' (10 per 1s)}. */
  String detail(KeyedBuckets.Entry e) {
    String what = definition.quota() ? "has used up quota '" : "is over limit '";
    String of = what + name + "' of " + kind + " policy '" + policy + "'";
    if (KeyedBuckets.OVERFLOW_KEY.equals(e.key)) {
      return "calls of new " + by + "s (too many distinct ones) share one bucket, which " + of + " ("
          + LimitDefinition.describe(definition.defaults()) + ")";
    }
    String rate = LimitDefinition.describe(definition.shape(e.key, e.tier));
    return by + " '" + e.key + "' " + of + " (" + rate + ")" + (dryRun ? " [dry run]" : "");
  }

  private static boolean same(String a, String b) {
    return a == b || a != null && a.equals(b);
  }

  /** The Bucket4j configuration of every override and of the defaults, for one share. */
  private static final class Sizes {
    final LimitDefinition definition;
    final BucketConfiguration defaults;
    final Map<String, BucketConfiguration> tiers = new HashMap<>();
    final Map<String, BucketConfiguration> tenants = new HashMap<>();
    final Map<String, BucketConfiguration> callers = new HashMap<>();

    Sizes(LimitDefinition d, int shares) {
      definition = d;
      defaults = d.defaults().configuration(shares);
      d.tiers().forEach((k, s) -> tiers.put(k, s.configuration(shares)));
      d.tenants().forEach((k, s) -> tenants.put(k, s.configuration(shares)));
      d.callers().forEach((k, s) -> callers.put(k, s.configuration(shares)));
    }

    BucketConfiguration configuration(String key, String tier) {
      BucketConfiguration c = switch (definition.by()) {
        case SERVICE -> null;
        case TENANT -> {
          BucketConfiguration own = tenants.get(key);
          yield own != null || tier == null ? own : tiers.get(tier);
        }
        case TIER -> tiers.get(key);
        case CALLER -> callers.get(key);
      };
      return c == null ? defaults : c;
    }
  }
}
