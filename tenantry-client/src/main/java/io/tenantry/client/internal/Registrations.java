package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.TenantryException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this client's registrations alive: one batch heartbeat for all of them every third of the
 * shortest lease; whatever the control plane reports missing (a lost lease, a restarted control plane)
 * is registered again; while the control plane is unreachable, retries with backoff. Leaving is
 * graceful: {@code DRAINING} first, so callers stop choosing the instance, then deregistration.
 *
 * <p>Thread-safety: thread-safe; heartbeats run on the client's scheduler, one round at a time.
 */
public final class Registrations {
  private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);
  static final int DEFAULT_LEASE_SECONDS = 30;

  private final ControlPlane controlPlane;
  private final ScheduledExecutorService scheduler;
  private final Counters counters;
  private final Backoff backoff;
  private final String namespace;
  private final Map<InstanceRef, ManagedRegistration> active = new ConcurrentHashMap<>();
  private final Object round = new Object(); // one heartbeat round at a time
  private int failures; // guarded by round
  private ScheduledFuture<?> next;
  private boolean stopped;

  public Registrations(ControlPlane controlPlane, ScheduledExecutorService scheduler, Counters counters,
      Backoff backoff, String namespace) {
    this.controlPlane = controlPlane;
    this.scheduler = scheduler;
    this.counters = counters;
    this.backoff = backoff;
    this.namespace = namespace;
  }

  /**
   * Registers now if the control plane answers; if it is unreachable the registration is kept and
   * retried in the background.
   *
   * @throws TenantryException if the control plane refuses it (e.g. the key may not register)
   */
  public ManagedRegistration register(String service, InstanceSpec spec) throws InterruptedException {
    ManagedRegistration reg = new ManagedRegistration(this, namespace, service, spec);
    ManagedRegistration prior = active.putIfAbsent(reg.ref(), reg);
    if (prior != null) {
      throw new IllegalStateException("instance " + reg + " is already registered by this client (expected: close"
          + " the earlier registration first)");
    }
    try {
      attempt(reg, false);
    } catch (IOException e) {
      LOG.warn("registration of {} failed ({}); retrying in the background", reg, e.toString());
    } catch (RuntimeException e) { // refused (TenantryException) or invalid: not kept
      active.remove(reg.ref(), reg);
      throw e;
    }
    reschedule(reg.registered() ? interval() : backoff.equalJitter(1));
    return reg;
  }

  /** The registrations alive. */
  public List<ManagedRegistration> active() {
    return List.copyOf(active.values());
  }

  /** Closes every registration gracefully and stops heartbeating. */
  public void closeAll() {
    synchronized (this) {
      stopped = true;
      if (next != null) {
        next.cancel(false);
      }
    }
    for (ManagedRegistration r : active()) {
      r.close();
    }
  }

  void leave(ManagedRegistration reg) {
    active.remove(reg.ref(), reg);
    synchronized (reg) {
      if (!reg.registered()) {
        return;
      }
      try {
        controlPlane.setStatus(reg.service(), reg.spec().id(), InstanceStatus.DRAINING);
      } catch (IOException | TenantryException e) {
        LOG.debug("draining {} failed: {}", reg, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        controlPlane.deregister(reg.service(), reg.spec().id());
        LOG.info("deregistered {}", reg);
      } catch (IOException | TenantryException e) {
        LOG.warn("deregistration of {} failed ({}); its lease will expire", reg, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        reg.lost();
      }
    }
  }

  private void attempt(ManagedRegistration reg, boolean again) throws IOException, InterruptedException {
    synchronized (reg) {
      if (reg.isClosed()) {
        return;
      }
      Instance answer = controlPlane.register(reg.service(), reg.spec());
      reg.registeredAs(answer);
      if (again) {
        counters.reregistrations.increment();
        LOG.info("registered {} again", reg);
      }
    }
  }

  private void beat() {
    synchronized (round) {
      beatRound();
    }
  }

  private void beatRound() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      next = null; // this round is running; reschedule() plans the next one
    }
    boolean ok = true;
    try {
      List<InstanceRef> refs = new ArrayList<>();
      List<ManagedRegistration> pending = new ArrayList<>();
      for (ManagedRegistration r : active.values()) {
        if (r.registered()) {
          refs.add(r.ref());
        } else {
          pending.add(r);
        }
      }
      if (!refs.isEmpty()) {
        for (InstanceRef missing : controlPlane.heartbeat(refs)) {
          ManagedRegistration r = active.get(missing);
          if (r != null) {
            r.lost();
            pending.add(r);
          }
        }
      }
      for (ManagedRegistration r : pending) {
        attempt(r, r.instance().revision() > 0);
      }
    } catch (IOException | TenantryException e) {
      ok = false;
      counters.heartbeatFailures.increment();
      if (failures == 0) {
        LOG.warn("heartbeat failed ({}); retrying with backoff", e.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      ok = false;
      LOG.error("heartbeat round failed", e);
    }
    failures = ok ? 0 : failures + 1;
    Duration delay = ok ? interval() : min(backoff.equalJitter(failures), interval());
    reschedule(delay);
  }

  /** A third of the shortest lease of the registrations alive. */
  Duration interval() {
    int lease = DEFAULT_LEASE_SECONDS;
    for (ManagedRegistration r : active.values()) {
      int l = r.instance().leaseSeconds();
      if (l > 0) {
        lease = Math.min(lease, l);
      }
    }
    return Duration.ofMillis(Math.max(200, lease * 1000L / 3));
  }

  private synchronized void reschedule(Duration delay) {
    if (stopped) {
      return;
    }
    if (next != null && !next.isDone()) {
      if (next.getDelay(TimeUnit.MILLISECONDS) <= delay.toMillis()) {
        return; // an earlier round is already due
      }
      next.cancel(false);
    }
    next = scheduler.schedule(this::beat, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
