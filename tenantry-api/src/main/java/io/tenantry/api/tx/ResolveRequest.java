package io.tenantry.api.tx;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;

/**
 * An operator's verdict on a stuck transaction, after settling its branches by hand:
 * {@code POST /api/v1/namespaces/{ns}/transactions/{xid}/resolve}. Recorded in its audit trail with the
 * operator's key.
 *
 * @param outcome committed or rolled-back (required)
 * @param reason  what was done and why (required, at most 512 characters)
 */
public record ResolveRequest(TxState outcome, String reason) {
  public ResolveRequest {
    Names.required("outcome", outcome);
    if (!outcome.isFinal()) {
      throw new ValidationException("outcome", "'" + outcome + "' (expected: committed or rolled-back)");
    }
    Names.required("reason", reason);
    Names.text("reason", reason, RollbackRequest.MAX_REASON);
  }
}
