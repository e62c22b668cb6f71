package io.tenantry.bench.tx;

/**
 * One whole global transaction as a driver runs it again and again (e.g. begin, commit); it returns once the
 * coordinator has answered its commit. Implementations are called by many threads at once.
 */
@FunctionalInterface
public interface TxCall {
  void run() throws Exception;
}
