package io.tenantry.api.tx;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.Names;

/**
 * Registers a branch with an active global transaction, before its try (TCC) or its step (saga) runs:
 * {@code POST /api/v1/namespaces/{ns}/transactions/{xid}/branches}. Idempotent on
 * {@code (service, action, key)}: registering the same again (a retried call) answers the branch already
 * registered (200) instead of a new one (201).
 *
 * @param tenant   the tenant of the caller's context; must be the transaction's (required)
 * @param service  the participant service the coordinator will call for phase two (required, a name)
 * @param action   the participant's action, as registered in its SDK ({@code debit}; required, a name)
 * @param key      what makes this branch unique within the transaction for that action, e.g. the order id
 *                 (required, an id)
 * @param instance the instance that runs the try, tried first for phase two (optional, an id)
 * @param data     what phase two needs, handed back to confirm/cancel/compensate (optional JSON, at most
 *                 {@link Xids#MAX_DATA_BYTES} bytes)
 */
public record BranchRequest(String tenant, String service, String action, String key, String instance, JsonNode data) {
  public BranchRequest {
    Names.name("tenant", tenant);
    Names.name("service", service);
    Names.name("action", action);
    Names.id("key", key);
    if (instance != null) {
      Names.id("instance", instance);
    }
  }
}
