package io.tenantry.client.tx;

/**
 * The work of a global transaction on its initiator ({@link Transactions#inTransaction}): returning commits it,
 * throwing rolls it back.
 *
 * @param <T> what it returns
 */
@FunctionalInterface
public interface TxBody<T> {
  T run(GlobalTx tx) throws Exception;
}
