package io.tenantry.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.ListResult;
import io.tenantry.api.Names;
import io.tenantry.server.registry.InstanceRef;
import io.tenantry.server.registry.Registration;
import io.tenantry.server.registry.Registry;
import io.tenantry.server.security.Action;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.watch.WatchSettings;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's HTTP routes: register, heartbeat (one or a batch), status, deregister, list services
 * and instances, and the Consul-style long-poll {@code ?index=N&wait=30s} on an instance list. Thin:
 * validation comes from the wire records and {@link Requests}, the work from {@link Registry}. A
 * long-poll holds no thread while it waits. Stateless and thread-safe.
 */
public final class RegistryRoutes {
  /** Most instances one batch heartbeat may name. */
  public static final int MAX_BATCH = 1000;
  /** Response header carrying a list's revision, the {@code index} of the next long-poll. */
  public static final String INDEX_HEADER = "X-Tenantry-Index";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

  /** Body of {@code POST .../heartbeats}. */
  public record HeartbeatBatch(List<InstanceRef> instances) {
    public HeartbeatBatch {
      Names.required("instances", instances);
      if (instances.size() > MAX_BATCH) {
        throw new io.tenantry.api.ValidationException("instances",
            instances.size() + " instances (expected: at most " + MAX_BATCH + ")");
      }
      instances.forEach(i -> Names.required("instances[]", i));
    }
  }

  /** Answer of a batch heartbeat: the instances the registry does not hold (register them again). */
  public record Missing(List<InstanceRef> missing) {}

  /** Body of {@code PUT .../status}. */
  public record StatusChange(InstanceStatus status) {
    public StatusChange {
      Names.required("status", status);
    }
  }

  private RegistryRoutes() {}

  public static void install(RoutesConfig routes, Registry registry, NamespaceDirectory namespaces,
      WatchSettings settings) {
    routes.put(ApiPaths.INSTANCE, ctx -> {
      String ns = namespace(ctx, Action.REGISTER, namespaces);
      String service = Requests.name(ctx, "service");
      String id = Requests.id(ctx, "instance");
      InstanceSpec spec = Requests.body(ctx, InstanceSpec.class);
      if (!spec.id().equals(id)) {
        throw ApiException.badRequest("id", "id: '" + spec.id() + "' (expected: the path's instance id '" + id + "')");
      }
      Registration r = registry.register(ns, service, spec);
      JsonAnswers.write(ctx, r.created() ? 201 : 200, r.instance());
    });
    routes.post(ApiPaths.INSTANCE_HEARTBEAT, ctx -> {
      String ns = namespace(ctx, Action.REGISTER, namespaces);
      String service = Requests.name(ctx, "service");
      String id = Requests.id(ctx, "instance");
      if (!registry.heartbeat(ns, service, id)) {
        throw new ApiException(404, "lease-not-found", "instance '" + service + "/" + id
            + "' holds no lease in namespace '" + ns + "' (expected: register it again)");
      }
      ctx.status(204);
    });
    routes.post(ApiPaths.HEARTBEATS, ctx -> {
      String ns = namespace(ctx, Action.REGISTER, namespaces);
      HeartbeatBatch batch = Requests.body(ctx, HeartbeatBatch.class);
      JsonAnswers.write(ctx, 200, new Missing(registry.heartbeat(ns, batch.instances())));
    });
    routes.put(ApiPaths.INSTANCE_STATUS, ctx -> {
      String ns = namespace(ctx, Action.REGISTER, namespaces);
      String service = Requests.name(ctx, "service");
      String id = Requests.id(ctx, "instance");
      StatusChange change = Requests.body(ctx, StatusChange.class);
      Instance updated = registry.setStatus(ns, service, id, change.status())
          .orElseThrow(() -> ApiException.notFound("instance '" + service + "/" + id + "'"));
      JsonAnswers.write(ctx, 200, updated);
    });
    routes.delete(ApiPaths.INSTANCE, ctx -> {
      String ns = namespace(ctx, Action.REGISTER, namespaces);
      String service = Requests.name(ctx, "service");
      String id = Requests.id(ctx, "instance");
      registry.deregister(ns, service, id)
          .orElseThrow(() -> ApiException.notFound("instance '" + service + "/" + id + "'"));
      ctx.status(204);
    });
    routes.get(ApiPaths.SERVICES, ctx -> {
      String ns = namespace(ctx, Action.READ, namespaces);
      JsonAnswers.write(ctx, 200, registry.services(ns));
    });
    routes.get(ApiPaths.INSTANCES, ctx -> {
      String ns = namespace(ctx, Action.READ, namespaces);
      String service = Requests.name(ctx, "service");
      Long index = nonNegative(ctx, "index", ctx.queryParam("index"));
      Duration wait = wait(ctx.queryParam("wait"), settings.maxLongPollWait());
      if (index == null) {
        ListResult<Instance> list = registry.list(ns, service);
        ctx.header(INDEX_HEADER, Long.toString(list.revision()));
        JsonAnswers.write(ctx, 200, list);
        return;
      }
      ctx.future(() -> registry.awaitChange(ns, service, index, wait).thenAccept(list -> {
        ctx.header(INDEX_HEADER, Long.toString(list.revision()));
        JsonAnswers.write(ctx, 200, list);
      }));
    });
  }

  /** The {@code {namespace}} path parameter, authorized for {@code action} and known to exist (404 otherwise). */
  static String namespace(Context ctx, Action action, NamespaceDirectory namespaces) {
    String ns = Requests.namespace(ctx, action);
    if (!namespaces.exists(ns)) {
      throw ApiException.notFound("namespace '" + ns + "'");
    }
    return ns;
  }

  /** A non-negative revision from a query parameter or header; null if absent; 400 if malformed. */
  static Long nonNegative(Context ctx, String field, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      long v = Long.parseLong(value);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(field, field + ": '" + shorten(value) + "' (expected: a revision, an integer >= 0)");
  }

  /**
   * Parses {@code ?wait=} as Consul does ({@code 500ms}, {@code 30s}, {@code 1m}; a bare number is
   * seconds) and clamps it to {@code max}; absent means {@code max}; malformed answers 400.
   */
  static Duration wait(String value, Duration max) {
    if (value == null || value.isEmpty()) {
      return max;
    }
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw ApiException.badRequest("wait", "wait: '" + shorten(value) + "' (expected: a duration like 500ms, 30s or 1m)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
    return d.compareTo(max) > 0 ? max : d;
  }

  private static String shorten(String value) {
    String s = value.length() > 32 ? value.substring(0, 32) + "…" : value;
    return s.replaceAll("[\\p{Cntrl}]", "?");
  }
}
