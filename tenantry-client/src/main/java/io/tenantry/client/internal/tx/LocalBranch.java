package io.tenantry.client.internal.tx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.tx.BranchPhase;
import io.tenantry.api.tx.TxMode;
import io.tenantry.client.tx.BranchContext;
import io.tenantry.client.tx.BranchFunction;

/**
 * One action of this service (a TCC action or a saga step) with its functions: what phase two needs to run it
 * from a {@link io.tenantry.api.tx.PhaseTwoRequest}. Immutable.
 *
 * @param first    the try (TCC) or the step's action (saga)
 * @param confirm  the confirm (TCC); null for a saga step
 * @param rollback the cancel (TCC) or the compensation (saga)
 */
record LocalBranch<A>(String name, TxMode mode, Class<A> argsType, BranchFunction<A> first, BranchFunction<A> confirm,
    BranchFunction<A> rollback) {

  /** Whether the coordinator may ask {@code phase} of this action: confirm/cancel of TCC, compensate of a saga step. */
  boolean accepts(BranchPhase phase) {
    return mode == TxMode.TCC ? phase != BranchPhase.COMPENSATE : phase == BranchPhase.COMPENSATE;
  }

  /** The arguments as registered with the branch (null data: null arguments). */
  A args(ObjectMapper mapper, JsonNode data) throws java.io.IOException {
    return data == null || data.isNull() ? null : mapper.treeToValue(data, argsType);
  }

  FenceLog.Work bind(BranchFunction<A> fn, BranchContext ctx, A args) {
    return c -> fn.run(ctx, c, args);
  }
}
