package io.tenantry.api.tx;

import java.time.Instant;
import java.util.List;

/**
 * A global transaction as the coordinator keeps it. Lists carry no branches and no events; the single
 * transaction ({@code GET …/transactions/{xid}}) carries both.
 *
 * @param reason    why it rolled back or is stuck, or null
 * @param timeout   as begun ({@code 60s})
 * @param deadline  begun + timeout: still active then, it rolls back
 * @param decidedAt when commit or rollback was logged, or null
 * @param endedAt   when it became committed or rolled-back, or null
 */
public record GlobalTransaction(
    String xid,
    String namespace,
    String tenant,
    TxMode mode,
    String name,
    TxState state,
    String reason,
    String timeout,
    Instant begunAt,
    Instant deadline,
    Instant decidedAt,
    Instant endedAt,
    List<Branch> branches,
    List<TxEvent> events) {
  public GlobalTransaction {
    branches = branches == null ? List.of() : List.copyOf(branches);
    events = events == null ? List.of() : List.copyOf(events);
  }
}
