package io.tenantry.bench.peers.seata;

import io.seata.rm.tcc.api.BusinessActionContext;
import io.seata.rm.tcc.api.BusinessActionContextParameter;
import io.seata.rm.tcc.api.LocalTCC;
import io.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * A TCC participant (the order service's reservation) as Seata declares one without Spring: the interface carries the annotations, and
 * {@code ProxyUtil.createProxy} wraps an implementation so that calling {@link #prepare} inside a global
 * transaction registers a branch with the coordinator, which later calls {@link #confirm} or {@link #cancel} on
 * this process.
 */
@LocalTCC
public interface ReserveAction {
  @TwoPhaseBusinessAction(name = "bench-reserve", commitMethod = "confirm", rollbackMethod = "cancel")
  boolean prepare(BusinessActionContext ctx, @BusinessActionContextParameter(paramName = "amount") long amount);

  boolean confirm(BusinessActionContext ctx);

  boolean cancel(BusinessActionContext ctx);
}
