package io.tenantry.client.internal;

import io.tenantry.api.EventType;
import io.tenantry.api.ValidationException;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpecs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace's policies as this client knows them, each with its spec read once into its typed record
 * ({@link PolicySpecs}). Events are applied by revision (older or duplicate ones ignored); after each
 * change the listeners get the new immutable {@link Policies}. A policy this SDK cannot read (a newer
 * control plane's field, say) is logged and left out, never applied half-way.
 *
 * <p>Thread-safety: writers (the watch thread) synchronize on this object; {@link #current()} is lock-free;
 * listeners run on the writing thread and must not block.
 */
public final class PolicyCache {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyCache.class);

  private final Map<String, Compiled> byKey = new TreeMap<>();
  private final CopyOnWriteArrayList<Consumer<Policies>> listeners = new CopyOnWriteArrayList<>();
  private volatile Policies current = Policies.EMPTY;
  private volatile boolean ready;
  private long revision = -1;

  /** A policy and its typed spec. */
  public record Compiled(Policy policy, Object spec) {}

  /** Every policy held, by kind, in name order. Immutable. */
  public static final class Policies {
    static final Policies EMPTY = new Policies(List.of());
    private final Map<PolicyKind, List<Compiled>> byKind = new EnumMap<>(PolicyKind.class);

    Policies(List<Compiled> all) {
      for (PolicyKind k : PolicyKind.values()) {
        byKind.put(k, new ArrayList<>());
      }
      for (Compiled c : all) {
        byKind.get(c.policy().kind()).add(c);
      }
      byKind.replaceAll((k, l) -> List.copyOf(l));
    }

    /** Every policy of {@code kind}. */
    public List<Compiled> of(PolicyKind kind) {
      return byKind.get(kind);
    }

    /**
     * The policies of {@code kind} that govern {@code service}: its own first, then those for every service
     * ({@code *}); for kinds with one policy per service, use the first.
     */
    public List<Compiled> of(PolicyKind kind, String service) {
      List<Compiled> out = new ArrayList<>(2);
      for (Compiled c : byKind.get(kind)) {
        if (c.policy().service().equals(service)) {
          out.add(c);
        }
      }
      for (Compiled c : byKind.get(kind)) {
        if (c.policy().anyService()) {
          out.add(c);
        }
      }
      return out;
    }
  }

  /** Every policy of {@code p}, of every kind. */
  public static List<Policy> all(Policies p) {
    List<Policy> out = new ArrayList<>();
    for (PolicyKind k : PolicyKind.values()) {
      for (Compiled c : p.of(k)) {
        out.add(c.policy());
      }
    }
    return out;
  }

  public Policies current() {
    return current;
  }

  public boolean ready() {
    return ready;
  }

  /** Calls {@code listener} with every later change (and now, with what is held); returns what removes it. */
  public Runnable addListener(Consumer<Policies> listener) {
    listeners.add(listener);
    listener.accept(current);
    return () -> listeners.remove(listener);
  }

  /** Replaces every policy with a list taken at {@code listRevision} (unless older, and not {@code force}). */
  public synchronized void applyList(long listRevision, Collection<Policy> items, boolean force) {
    if (listRevision < revision && !force) {
      return;
    }
    revision = listRevision;
    ready = true;
    byKey.clear();
    for (Policy p : items) {
      put(p);
    }
    publish();
  }

  /** Applies one policy event. */
  public synchronized void applyEvent(EventType type, Policy policy, long eventRevision) {
    if (eventRevision <= revision) {
      return;
    }
    revision = eventRevision;
    if (type == EventType.DELETED) {
      if (byKey.remove(policy.key()) == null) {
        return;
      }
    } else {
      put(policy);
    }
    publish();
  }

  private void put(Policy p) {
    try {
      byKey.put(p.key(), new Compiled(p, PolicySpecs.parse(p)));
    } catch (ValidationException e) {
      byKey.remove(p.key());
      LOG.error("policy {} (version {}) cannot be applied by this SDK and is ignored: {}", p.key(), p.version(),
          e.getMessage());
    }
  }

  private void publish() {
    List<Compiled> all = new ArrayList<>(byKey.values());
    all.sort(Comparator.comparing((Compiled c) -> c.policy().name()));
    Policies next = new Policies(all);
    current = next;
    for (Consumer<Policies> l : listeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        LOG.error("applying policies failed", e);
      }
    }
  }
}
