package io.tenantry.api;

/**
 * The control plane's routes, shared by the server that serves them and the SDK that calls them.
 * Path parameters are written in braces, as in the OpenAPI document.
 */
public final class ApiPaths {
  public static final String BASE = "/api/v1";
  public static final String HEALTH = "/health";
  public static final String METRICS = "/metrics";

  public static final String NAMESPACES = BASE + "/namespaces";
  public static final String NAMESPACE = NAMESPACES + "/{namespace}";
  public static final String TENANTS = NAMESPACE + "/tenants";
  public static final String TENANT = TENANTS + "/{tenant}";
  public static final String KEYS = NAMESPACE + "/keys";
  public static final String KEY = KEYS + "/{key}";
  public static final String SERVICES = NAMESPACE + "/services";
  public static final String INSTANCES = SERVICES + "/{service}/instances";
  public static final String INSTANCE = INSTANCES + "/{instance}";
  public static final String INSTANCE_HEARTBEAT = INSTANCE + "/heartbeat";
  public static final String INSTANCE_STATUS = INSTANCE + "/status";
  public static final String HEARTBEATS = NAMESPACE + "/heartbeats";
  public static final String WATCH = NAMESPACE + "/watch";
  public static final String POLICIES = NAMESPACE + "/policies";
  public static final String POLICY = POLICIES + "/{kind}/{name}";
  public static final String POLICY_HISTORY = POLICY + "/history";
  public static final String POLICY_ROLLBACK = POLICY + "/rollback";
  public static final String STATS = NAMESPACE + "/stats";
  public static final String TRANSACTIONS = NAMESPACE + "/transactions";
  public static final String TRANSACTION = TRANSACTIONS + "/{xid}";
  public static final String TRANSACTION_BRANCHES = TRANSACTION + "/branches";
  public static final String TRANSACTION_COMMIT = TRANSACTION + "/commit";
  public static final String TRANSACTION_ROLLBACK = TRANSACTION + "/rollback";
  /** An operator's: phase two of a stuck transaction is tried again. */
  public static final String TRANSACTION_RETRY = TRANSACTION + "/retry";
  /** An operator's: a stuck transaction is closed with the outcome the operator settled by hand. */
  public static final String TRANSACTION_RESOLVE = TRANSACTION + "/resolve";
  /** The control plane's public signing keys (unauthenticated), which check coordinator tokens. */
  public static final String JWKS = "/.well-known/jwks.json";
  /** Served by every participant's SDK: the coordinator's phase-two calls ({@code PhaseTwoRequest}). */
  public static final String TX_PARTICIPANT = "/.well-known/tenantry/tx";

  private ApiPaths() {}

  /** Fills the braces of {@code template} in order, URL-encoding nothing: callers pass validated names. */
  public static String expand(String template, String... values) {
    StringBuilder b = new StringBuilder(template.length() + 32);
    int i = 0;
    int v = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      if (open < 0) {
        b.append(template, i, template.length());
        break;
      }
      int close = template.indexOf('}', open);
      b.append(template, i, open);
      if (v >= values.length) {
        throw new IllegalArgumentException("not enough values for " + template);
      }
      b.append(values[v++]);
      i = close + 1;
    }
    return b.toString();
  }
}
