package io.tenantry.api.tx;

import java.time.Instant;

/**
 * One entry of a transaction's audit trail: a decision or an operator's act.
 *
 * @param kind   begun, commit, rollback, timeout, stuck, committed, rolled-back, retry (an operator's),
 *               resolved (an operator's)
 * @param actor  who: the key id of the caller, or {@code coordinator}
 * @param detail a reason or note, or null
 */
public record TxEvent(Instant at, String kind, String actor, String detail) {}
