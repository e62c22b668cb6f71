package io.tenantry.server.alert;

import io.tenantry.api.Names;

/**
 * The identity of one alert: a rule of an alert policy, on one service, for one tenant or for every call
 * ({@code tenant} null), on one instance of it or on all of them ({@code instance} null). A rule for each
 * tenant (instance) has one alert per tenant (instance) that breaches. Immutable.
 */
public record AlertKey(String namespace, String policy, String rule, String service, String tenant, String instance) {
  public AlertKey {
    Names.name("namespace", namespace);
    Names.name("policy", policy);
    Names.name("rule", rule);
    Names.name("service", service);
    if (tenant != null) {
      Names.name("tenant", tenant);
    }
    if (instance != null) {
      Names.id("instance", instance);
    }
  }

  /** A stable short id of the alert (Alertmanager's {@code fingerprint}): 16 hex digits. */
  public String fingerprint() {
    // an alert of all instances keeps the fingerprint it had before alerts per instance
    String text = namespace + '/' + policy + '/' + rule + '/' + service + '/' + (tenant == null ? "" : tenant)
        + (instance == null ? "" : '/' + instance);
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return String.format("%016x", h);
  }
}
