package io.tenantry.api.tx;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A branch as the coordinator keeps it.
 *
 * @param id        1, 2, … in registration order within the transaction
 * @param attempts  phase-two calls made so far
 * @param lastError why the last phase-two call failed, or null
 * @param data      the data registered with it, or null
 */
public record Branch(
    int id,
    String service,
    String action,
    String key,
    String instance,
    BranchState state,
    int attempts,
    String lastError,
    Instant registeredAt,
    Instant updatedAt,
    JsonNode data) {}
