package io.tenantry.bench;

import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.TenantryClient;
import java.util.function.LongConsumer;


/**
 * Tells the moment a started {@link TenantryClient} has applied a policy, through
 * {@link TenantryClient#subscribePolicies}: its listener runs on the client's watch thread right after the SDK
 * compiled the new policies into its router and door, so the time it records is when the change governs calls.
 *
 * <p>Stateless; the listener must be cheap and must not block (it runs on the watch thread).
 */
final class PolicyProbe {
  private PolicyProbe() {}

  /**
   * Calls {@code onVersion} with the version of policy {@code kind/name} that {@code client} holds, now and after
   * every policy change the client applies (the same version may come again when another policy changes).
   *
   * @throws IllegalStateException if the client is not started
   */
  static void onApplied(TenantryClient client, PolicyKind kind, String name, LongConsumer onVersion) {
    client.subscribePolicies(policies -> {
      for (Policy p : policies) {
        if (p.kind() == kind && p.name().equals(name)) {
          onVersion.accept(p.version());
          return;
        }
      }
    });
  }
}
