package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.Tenant;
import io.tenantry.client.LoadBalancer;
import io.tenantry.client.internal.route.InFlight;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One served view of a service with its candidates worked out once, so that a call picks its
 * candidate list with a map lookup instead of filtering every instance: the shared {@code UP}
 * instances, and per tenant with any dedicated instance, its dedicated {@code UP} ones. The same
 * rules as {@link CandidateSelector} (which stays the reference and explains an empty result). A
 * {@link ServiceCache} builds a new one each time its served view changes.
 *
 * <p>Thread-safety: immutable.
 */
public final class Routes {
  static final Routes EMPTY = new Routes(List.of());

  private final List<Instance> all;
  private final List<Instance> shared;
  /** Every tenant some instance is dedicated to, whatever its status, mapped to its UP dedicated instances. */
  private final Map<String, List<Instance>> dedicated;
  /** The address and load of each instance of {@link #all()}; read-only after construction. */
  private final IdentityHashMap<Instance, Endpoint> endpoints;
  private final Map<String, Load> loads;
  /** {@link #load} as a function, made once: a balancer reads loads through it on every call. */
  final java.util.function.Function<Instance, Load> loadOf = this::load;
  /** The in-flight counts of this view's instances, for tenant affinity's bounded load; made once. */
  final InFlight inFlight = i -> load(i).inFlight();
  private volatile LoadBalancer lastBalancer; // the last balancer bound to this view's loads

  /** @param all an immutable list of a service's instances, with loads of their own */
  public Routes(List<Instance> all) {
    this(all, new ConcurrentHashMap<>());
  }

  /**
   * @param all   an immutable list of a service's instances
   * @param loads the loads of the service's instances by id, shared with the routes this one replaces, so
   *              that what was learnt about an instance survives a change of the view; loads of instances no
   *              longer in the view and idle are dropped from it
   */
  public Routes(List<Instance> all, Map<String, Load> loads) {
    this.all = all;
    this.loads = loads;
    List<Instance> sharedUp = new ArrayList<>();
    Map<String, List<Instance>> byTenant = new HashMap<>();
    this.endpoints = new IdentityHashMap<>(all.size());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Instance i : all) {
      ids.add(i.id());
      endpoints.put(i, new Endpoint(new Address(i.authority()), loads.computeIfAbsent(i.id(), k -> new Load())));
      boolean up = i.status() == InstanceStatus.UP;
      if (i.tenant() == null) {
        if (up) {
          sharedUp.add(i);
        }
      } else {
        List<Instance> mine = byTenant.computeIfAbsent(i.tenant(), t -> new ArrayList<>());
        if (up) {
          mine.add(i);
        }
      }
    }
    this.shared = List.copyOf(sharedUp);
    Map<String, List<Instance>> frozen = new HashMap<>(byTenant.size() * 2);
    byTenant.forEach((t, l) -> frozen.put(t, List.copyOf(l)));
    this.dedicated = Map.copyOf(frozen);
    loads.entrySet().removeIf(e -> !ids.contains(e.getKey()) && e.getValue().inFlight() == 0);
  }

  /**
   * {@code balancer} reading this view's loads when it is {@link LoadAware} ({@code balancer} itself otherwise),
   * remembered so that a call allocates no adapter.
   */
  LoadBalancer boundTo(LoadBalancer balancer, LoadAware aware) {
    if (aware == null) {
      return balancer;
    }
    LoadBalancer b = lastBalancer;
    if (b == null) {
      b = candidates -> aware.choose(candidates, loadOf);
      lastBalancer = b;
    }
    return b;
  }

  /** The load of {@code instance} (of this view, else found or made by id). */
  public Load load(Instance instance) {
    Endpoint e = endpoints.get(instance);
    return e != null ? e.load : loads.computeIfAbsent(instance.id(), k -> new Load());
  }

  /**
   * The load and address of {@code instance}, for an attempt to keep: one lookup serves its start, its target and
   * its end. An instance not of this view gets a new one (its load found or made by id).
   */
  Endpoint endpoint(Instance instance) {
    Endpoint e = endpoints.get(instance);
    return e != null ? e : new Endpoint(new Address(instance.authority()),
        loads.computeIfAbsent(instance.id(), k -> new Load()));
  }

  /** The view these routes were built from: immutable, in the cache's order. */
  public List<Instance> all() {
    return all;
  }

  /**
   * {@code logical} ({@code http(s)://<service>/path?query}) rewritten to {@code instance}: scheme in lower
   * case, the instance's {@code host:port}, the raw path ({@code /} if empty) and raw query, no fragment.
   * An instance of {@link #all()} remembers the last URI built for it, reused while scheme, path and query
   * are the same (a fixed endpoint is parsed once, not per call).
   */
  public URI target(Instance instance, URI logical) {
    return endpoint(instance).target(logical); // as an attempt does with the endpoint it keeps
  }

  /** An instance's address and load. */
  record Endpoint(Address address, Load load) {
    /** See {@link Routes#target}. */
    URI target(URI logical) {
      return address.target(logical);
    }
  }

  /** One instance's {@code host:port} and the last target URI built for it. Thread-safe. */
  private static final class Address {
    private final String authority;
    private volatile Built last; // racing writers each store a correct value

    Address(String authority) {
      this.authority = authority;
    }

    URI target(URI logical) {
      Built b = last;
      if (b != null && b.scheme.equals(logical.getScheme()) && Objects.equals(b.rawPath, logical.getRawPath())
          && Objects.equals(b.rawQuery, logical.getRawQuery())) {
        return b.target;
      }
      URI target = build(authority, logical);
      last = new Built(logical.getScheme(), logical.getRawPath(), logical.getRawQuery(), target);
      return target;
    }

    static URI build(String authority, URI logical) {
      String path = logical.getRawPath();
      String query = logical.getRawQuery();
      return URI.create(logical.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + authority
          + (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query));
    }
  }

  private record Built(String scheme, String rawPath, String rawQuery, URI target) {}

  /**
   * The eligible instances for a call for {@code tenantId} ({@code tenant} its record, if known), in the
   * order of {@link #all()}; the same list object on every call; possibly empty.
   */
  public List<Instance> candidates(String tenantId, Tenant tenant) {
    if (tenantId == null) {
      return shared;
    }
    boolean siloed = tenant != null ? tenant.siloed() : dedicated.containsKey(tenantId);
    if (!siloed) {
      return shared;
    }
    List<Instance> mine = dedicated.get(tenantId);
    return mine == null ? List.of() : mine;
  }
}
