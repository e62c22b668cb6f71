package io.tenantry.server.alert;

import io.tenantry.api.Names;

/**
 * The identity of one alert: a rule of an alert policy, on one service, for one tenant or for every call
 * ({@code tenant} null). A rule for each tenant has one alert per tenant that breaches. Immutable.
 */
public record AlertKey(String namespace, String policy, String rule, String service, String tenant) {
  public AlertKey {
    Names.name("namespace", namespace);
    Names.name("policy", policy);
    Names.name("rule", rule);
    Names.name("service", service);
    if (tenant != null) {
      Names.name("tenant", tenant);
    }
  }

  /** A stable short id of the alert (Alertmanager's {@code fingerprint}): 16 hex digits. */
  public String fingerprint() {
    String text = namespace + '/' + policy + '/' + rule + '/' + service + '/' + (tenant == null ? "" : tenant);
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return String.format("%016x", h);
  }
}
