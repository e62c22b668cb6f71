package io.tenantry.bench;

import io.tenantry.api.policy.PolicyKind;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.internal.ClientCore;
import io.tenantry.client.internal.DiscoveryCache;
import io.tenantry.client.internal.PolicyCache;
import java.lang.reflect.Field;
import java.util.function.LongConsumer;

/**
 * Tells the moment a started {@link TenantryClient} has applied a policy: its listener runs on the client's
 * watch thread right after the SDK's own listener compiled the new policies into its router and door, so the
 * time it records is when the change governs calls.
 *
 * <p>A stand-in: the SDK has no public way to observe a policy's arrival, so this reaches its internal
 * {@link PolicyCache} through two private fields ({@code TenantryClient.core}, {@code ClientCore.cache}).
 * It breaks loudly (an {@link IllegalStateException} naming the field) if those are renamed; the proposed
 * public replacement is {@code TenantryClient.subscribePolicies(Consumer<List<Policy>>)}.
 *
 * <p>Stateless; the listener must be cheap and must not block (it runs on the watch thread).
 */
final class PolicyProbe {
  private PolicyProbe() {}

  /**
   * Calls {@code onVersion} with the version of policy {@code kind/name} that {@code client} holds, now and after
   * every policy change the client applies (the same version may come again when another policy changes).
   *
   * @throws IllegalStateException if the client is not started or the SDK's internals are not as expected
   */
  static void onApplied(TenantryClient client, PolicyKind kind, String name, LongConsumer onVersion) {
    PolicyCache cache = policyCache(client);
    cache.addListener(policies -> {
      for (PolicyCache.Compiled c : policies.of(kind)) {
        if (c.policy().name().equals(name)) {
          onVersion.accept(c.policy().version());
          return;
        }
      }
    });
  }

  private static PolicyCache policyCache(TenantryClient client) {
    ClientCore core = (ClientCore) read(TenantryClient.class, "core", client);
    if (core == null) {
      throw new IllegalStateException("client not started (expected: start() before probing its policies)");
    }
    return ((DiscoveryCache) read(ClientCore.class, "cache", core)).policies();
  }

  private static Object read(Class<?> type, String field, Object target) {
    try {
      Field f = type.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + field
          + " (the SDK's internals changed: update PolicyProbe or use a public policy listener)", e);
    }
  }
}
