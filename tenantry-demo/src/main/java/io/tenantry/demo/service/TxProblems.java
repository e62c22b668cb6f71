package io.tenantry.demo.service;

import io.tenantry.client.TenantryException;
import io.tenantry.client.tx.BranchRefusedException;
import io.tenantry.client.tx.TxRolledBackException;
import io.tenantry.demo.store.Refusal;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a caller is told when a distributed transaction, or one of its branches, did not go through: a
 * business refusal is a 409 with its type; a transaction that rolled back (its timeout passed, or the
 * coordinator refused the branch) a 409 {@code transaction-rolled-back}; a coordinator that cannot be
 * reached a 503, so that the caller may retry (a branch's retry finds its first try). Stateless.
 */
final class TxProblems {
  private static final Logger log = LoggerFactory.getLogger(TxProblems.class);

  private TxProblems() {}

  /** {@code e} as the problem to answer; {@code what} names the operation for the detail. */
  static HttpProblem of(String what, RuntimeException e) {
    if (e instanceof HttpProblem p) {
      return p;
    }
    if (e instanceof Refusal r) {
      return HttpProblem.refused(r);
    }
    if (e instanceof TxRolledBackException r) {
      return new HttpProblem(409, "transaction-rolled-back", what + ": its transaction " + r.xid()
          + " rolled back (" + r.reason() + "); nothing of it stands");
    }
    if (e instanceof BranchRefusedException r) {
      return new HttpProblem(409, "transaction-rolled-back", what + ": " + r.getMessage());
    }
    if (e instanceof UncheckedIOException || e instanceof TenantryException) {
      log.warn("{}: the coordinator failed: {}", what, e.toString());
      return new HttpProblem(503, "coordinator-unavailable", what + ": the transaction coordinator failed (" + e.getMessage()
          + "); what was begun is finished by the coordinator (committed or rolled back)");
    }
    log.warn("{} failed", what, e);
    return new HttpProblem(503, "transaction-failed", what + ": " + e.getMessage());
  }
}
