package io.tenantry.demo.service;

import io.tenantry.client.LoadBalancer;
import java.util.List;

/** The SDK's load balancers by the names the demo's command lines use. Stateless. */
public final class Balancers {
  public static final String POWER_OF_TWO_CHOICES = "power-of-two-choices";
  public static final String ROUND_ROBIN = "round-robin";
  public static final String WEIGHTED_RANDOM = "weighted-random";
  public static final List<String> NAMES = List.of(POWER_OF_TWO_CHOICES, ROUND_ROBIN, WEIGHTED_RANDOM);

  private Balancers() {}

  /** Checks a name; throws IllegalArgumentException naming the allowed ones. */
  public static String check(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("load-balancer: '" + name + "' (expected one of: " + String.join(", ", NAMES) + ")");
    }
    return name;
  }

  /** A new balancer of the named kind. */
  public static LoadBalancer of(String name) {
    return switch (check(name)) {
      case ROUND_ROBIN -> LoadBalancer.roundRobin();
      case WEIGHTED_RANDOM -> LoadBalancer.weightedRandom();
      default -> LoadBalancer.powerOfTwoChoices();
    };
  }
}
