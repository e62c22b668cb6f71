package io.tenantry.demo.service;

import io.tenantry.api.InstanceSpec;
import io.tenantry.api.Names;
import io.tenantry.demo.store.DatabaseSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to run one instance of a demo service: which service, its instance id, where it listens, the
 * tenant it is dedicated to (null for a shared instance), how often it fails on purpose, how its
 * outbound calls choose an instance, where the control plane is, and the lease it asks for (short, so
 * that a killed instance leaves the registry within seconds), and the database of its service (order and
 * payment keep their books there; the user service keeps its users in memory and ignores it).
 * Immutable; validated on construction.
 */
public record ServiceConfig(
    Kind kind,
    String instanceId,
    String host,
    int port,
    String tenant,
    String version,
    String zone,
    double failRate,
    String loadBalancer,
    List<String> servers,
    String namespace,
    String apiKey,
    Path snapshotDirectory,
    int leaseSeconds,
    DatabaseSettings database) {

  /** The three services of the demo; the name is the service name in the registry. */
  public enum Kind {
    USER, ORDER, PAYMENT;

    public String serviceName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** True for the services that keep their data in a database of their own (order, payment). */
    public boolean keepsBooks() {
      return this != USER;
    }

    public static Kind of(String name) {
      for (Kind k : values()) {
        if (k.serviceName().equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("service: '" + name + "' (expected: one of user, order, payment)");
    }
  }

  public ServiceConfig {
    Objects.requireNonNull(kind, "kind");
    Names.id("id", instanceId);
    Names.host("host", host);
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 for any free port)");
    }
    if (tenant != null) {
      Names.name("tenant", tenant);
    }
    Names.version("version", version);
    Names.name("zone", zone);
    if (!(failRate >= 0 && failRate <= 1)) {
      throw new IllegalArgumentException("failRate: " + failRate + " (expected: 0..1)");
    }
    Balancers.check(loadBalancer);
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("servers: empty (expected: at least one control-plane URL)");
    }
    Names.name("namespace", namespace);
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey: missing (expected: a service key in TENANTRY_API_KEY)");
    }
    Objects.requireNonNull(snapshotDirectory, "snapshotDirectory");
    if (leaseSeconds < 1 || leaseSeconds > InstanceSpec.MAX_LEASE_SECONDS) {
      throw new IllegalArgumentException("leaseSeconds: " + leaseSeconds + " (expected: 1.." + InstanceSpec.MAX_LEASE_SECONDS + ")");
    }
    if (kind.keepsBooks()) {
      Objects.requireNonNull(database, "database");
    }
  }

  @Override
  public String toString() {
    // never print the key
    return "ServiceConfig[" + kind.serviceName() + " " + instanceId + " " + host + ":" + port
        + (tenant == null ? " shared" : " dedicated to " + tenant) + ", failRate " + failRate + ", servers " + servers
        + ", namespace " + namespace + ", lease " + leaseSeconds + "s"
        + (kind.keepsBooks() ? ", " + database : "") + "]";
  }
}
