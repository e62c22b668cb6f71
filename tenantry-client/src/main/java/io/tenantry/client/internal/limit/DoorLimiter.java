package io.tenantry.client.internal.limit;

import io.tenantry.api.policy.Policy;
import io.tenantry.client.RequestHeaders;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The live limits of one governed service: holds the current {@link DoorLimits} and replaces it when
 * policies or the number of UP instances change. The inbound filter calls {@link #check}; the policy
 * watch calls {@link #update}; a discovery listener of the service itself calls
 * {@link #instancesChanged}.
 *
 * <p>Thread-safe: checks read a volatile snapshot and never wait; updates are serialized. A call in
 * flight during an update finishes on the old snapshot, whose buckets the new one shares.
 */
public final class DoorLimiter {
  private final LimitEnvironment env;
  private volatile DoorLimits current;

  public DoorLimiter(String service, LimitEnvironment env) {
    this.env = Objects.requireNonNull(env, "env");
    this.current = DoorLimits.none(Objects.requireNonNull(service, "service"));
  }

  /**
   * Applies the policies now in force ({@code policies}: every policy the client holds; other kinds
   * and services are ignored). Buckets of limits that still exist keep their tokens.
   */
  public synchronized void update(Collection<Policy> policies) {
    current = DoorLimits.compile(current.service(), policies, current, env);
  }

  /** Re-reads the UP instance count and re-derives local shares if it changed. Cheap if it did not. */
  public synchronized void instancesChanged() {
    if (env.shares() != current.shares() && !current.isEmpty()) {
      current = current.reshare(env);
    }
  }

  /** See {@link DoorLimits#check(String, String, String, String, String, Object, RequestHeaders)}. */
  public <R> Refusal check(String tenant, String tier, String caller, String method, String path, R request,
      RequestHeaders<? super R> headers) {
    return current.check(tenant, tier, caller, method, path, request, headers);
  }

  public DoorLimits current() {
    return current;
  }

  /** Counters of every limit in force. */
  public List<LimitStats> stats() {
    return current.stats();
  }
}
