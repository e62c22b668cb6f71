package io.tenantry.client.internal.route;

import io.tenantry.api.policy.RouteSpec;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One rule of a compiled route policy: which calls it takes and where they go. A call gets it from
 * {@link Router#match} and hands it back to {@link Router#pick}, so the rule is matched once per call and its
 * {@link #timeout()} is known before the first attempt.
 *
 * <p>Thread-safety: immutable but for its counters.
 */
public final class RouteRule {
  private final String name;
  private final Duration timeout;
  final CallMatcher matcher;
  final RouteSpec.OnEmpty onEmpty;
  final Target[] targets;
  /** {@code upTo[i]} is the total weight of targets 0..i: target i takes draws in [upTo[i-1], upTo[i]). */
  private final int[] upTo;

  RouteRule(RouteSpec.Rule rule, boolean dryRun, Target[] targets) {
    this.name = rule.name();
    this.timeout = dryRun ? null : rule.timeoutDuration();
    this.matcher = new CallMatcher(rule.match());
    this.onEmpty = rule.onEmpty();
    this.targets = targets;
    this.upTo = new int[targets.length];
    int sum = 0;
    for (int i = 0; i < targets.length; i++) {
      sum += targets[i].weight;
      upTo[i] = sum;
    }
  }

  /** The rule's name in its policy. */
  public String name() {
    return name;
  }

  /**
   * The per-attempt timeout of the calls this rule takes, overriding the resilience policy's; null if the rule
   * sets none or its policy is in dry run (a rehearsed rule changes nothing).
   */
  public Duration timeout() {
    return timeout;
  }

  /** One destination, at random in proportion to the weights; a destination of weight 0 is never chosen. */
  Target choose() {
    if (targets.length == 1) {
      return targets[0];
    }
    int draw = ThreadLocalRandom.current().nextInt(upTo[upTo.length - 1]);
    int i = 0;
    while (draw >= upTo[i]) {
      i++;
    }
    return targets[i];
  }

  @Override
  public String toString() {
    return "RouteRule[" + name + "]";
  }
}
