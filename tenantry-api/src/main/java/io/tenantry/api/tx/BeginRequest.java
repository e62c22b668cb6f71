package io.tenantry.api.tx;

import io.tenantry.api.Names;
import io.tenantry.api.policy.DurationText;
import java.time.Duration;

/**
 * Begins a global transaction for {@code tenant}: {@code POST /api/v1/namespaces/{ns}/transactions}.
 *
 * @param tenant  the tenant it runs for (required; must exist and be active)
 * @param mode    tcc (default) or saga
 * @param name    what it does, for people ({@code place-order}); optional, a name
 * @param timeout how long branches may register before the coordinator rolls it back, {@code 1s} to
 *                {@code 1h}, default {@code 60s}
 */
public record BeginRequest(String tenant, TxMode mode, String name, String timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_TIMEOUT = Duration.ofHours(1);

  public BeginRequest {
    Names.name("tenant", tenant);
    mode = mode == null ? TxMode.TCC : mode;
    if (name != null) {
      Names.name("name", name);
    }
    timeout = timeout == null ? DurationText.format(DEFAULT_TIMEOUT) : timeout;
    DurationText.parse("timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
  }

  public Duration timeoutDuration() {
    return DurationText.parse("timeout", timeout, MIN_TIMEOUT, MAX_TIMEOUT);
  }
}
