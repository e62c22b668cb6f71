package io.tenantry.api.tx;

import io.tenantry.api.Names;

/**
 * Asks for rollback: {@code POST /api/v1/namespaces/{ns}/transactions/{xid}/rollback}; the body is optional.
 *
 * @param reason why, kept in the transaction's record (at most 512 characters)
 */
public record RollbackRequest(String reason) {
  public static final int MAX_REASON = 512;

  public RollbackRequest {
    if (reason != null) {
      Names.text("reason", reason, MAX_REASON);
    }
  }
}
