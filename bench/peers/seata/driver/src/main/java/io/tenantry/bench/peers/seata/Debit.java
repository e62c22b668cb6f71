package io.tenantry.bench.peers.seata;

import io.seata.rm.tcc.api.BusinessActionContext;

/** The {@link DebitAction} participant; Seata proxies a subclass of it, so it is public and not final. */
public class Debit implements DebitAction {
  @Override
  public boolean prepare(BusinessActionContext ctx, long amount) {
    return BranchRows.tried(ctx, amount);
  }

  @Override
  public boolean confirm(BusinessActionContext ctx) {
    return BranchRows.ended(ctx, "confirmed");
  }

  @Override
  public boolean cancel(BusinessActionContext ctx) {
    return BranchRows.ended(ctx, "cancelled");
  }
}
