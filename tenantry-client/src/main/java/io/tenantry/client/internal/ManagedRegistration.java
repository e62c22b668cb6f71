package io.tenantry.client.internal;

import io.tenantry.api.Instance;
import io.tenantry.api.InstanceSpec;
import io.tenantry.client.Registration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One registration kept alive by {@link Registrations}. Calls to the control plane for it are made
 * holding its monitor, so a re-registration can never overtake a close. Thread-safe.
 */
public final class ManagedRegistration implements Registration {
  private final Registrations owner;
  private final String service;
  private final InstanceSpec spec;
  private final InstanceRef ref;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Instance instance;
  private volatile boolean registered;

  ManagedRegistration(Registrations owner, String namespace, String service, InstanceSpec spec) {
    this.owner = owner;
    this.service = service;
    this.spec = spec;
    this.ref = new InstanceRef(service, spec.id());
    int lease = spec.leaseSeconds() == null ? 0 : spec.leaseSeconds();
    this.instance = Instance.of(namespace, service, spec, lease, 0);
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public Instance instance() {
    return instance;
  }

  @Override
  public boolean registered() {
    return registered;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      owner.leave(this);
    }
  }

  InstanceSpec spec() {
    return spec;
  }

  InstanceRef ref() {
    return ref;
  }

  boolean isClosed() {
    return closed.get();
  }

  void registeredAs(Instance answer) {
    instance = answer;
    registered = true;
  }

  void lost() {
    registered = false;
  }

  @Override
  public String toString() {
    return service + "/" + spec.id();
  }
}
