package io.tenantry.demo.service;

import io.tenantry.client.tx.BranchContext;
import io.tenantry.client.tx.BranchFunction;
import io.tenantry.client.tx.GlobalTx;
import io.tenantry.client.tx.Saga;
import io.tenantry.client.tx.SagaStep;
import io.tenantry.client.tx.TccAction;
import io.tenantry.client.tx.Transactions;
import io.tenantry.client.tx.TxBody;
import io.tenantry.client.tx.TxOptions;
import io.tenantry.demo.store.Database;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A participant's side of {@link Transactions} without a coordinator, for the services' unit tests: one
 * transaction is current while {@link #enter} is open; a branch's first run (try or step) runs its function
 * in one local transaction of the given database, a repeat of the same action and key runs nothing and
 * answers false, as the SDK's fence does. Phase two is not run. Thread-safe enough for one test thread.
 */
final class LocalTransactions implements Transactions {
  static final String XID = "0123456789abcdef0123456789abcdef";

  private final Database db;
  private final Set<String> ran = ConcurrentHashMap.newKeySet();
  private volatile GlobalTx current;

  LocalTransactions(Database db) {
    this.db = db;
  }

  /** Makes a transaction of {@code tenant} current until the scope closes. */
  Scope enter(String tenant) {
    current = new GlobalTx(XID, tenant, null, null);
    return () -> current = null;
  }

  @Override
  public <A> TccAction<A> tcc(String name, Class<A> argsType, BranchFunction<A> tryFn, BranchFunction<A> confirmFn,
      BranchFunction<A> cancelFn) {
    return new TccAction<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean tryBranch(String key, A args) {
        return first(name, key, tryFn, args);
      }
    };
  }

  @Override
  public <A> SagaStep<A> sagaStep(String name, Class<A> argsType, BranchFunction<A> action,
      BranchFunction<A> compensation) {
    return new SagaStep<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean run(String key, A args) {
        return first(name, key, action, args);
      }
    };
  }

  private <A> boolean first(String name, String key, BranchFunction<A> fn, A args) {
    GlobalTx g = current;
    if (g == null) {
      throw new IllegalStateException("no transaction is current");
    }
    if (!ran.add(name + "/" + key)) {
      return false;
    }
    BranchContext ctx = new BranchContext(g.xid(), ran.size(), g.tenant(), name, key);
    try {
      db.inTransaction(c -> {
        try {
          fn.run(ctx, c, args);
        } catch (RuntimeException | SQLException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return null;
      });
    } catch (SQLException e) {
      ran.remove(name + "/" + key);
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      ran.remove(name + "/" + key);
      throw e;
    }
    return true;
  }

  @Override
  public <T> T inTransaction(TxOptions options, TxBody<T> body) {
    throw new UnsupportedOperationException("a participant's test begins no transaction");
  }

  @Override
  public Saga saga(String name) {
    throw new UnsupportedOperationException("a participant's test begins no saga");
  }

  @Override
  public GlobalTx current() {
    return current;
  }

  @Override
  public Scope join(String xid) {
    throw new UnsupportedOperationException();
  }

  @Override
  public <T> T callIn(GlobalTx tx, Supplier<T> work) {
    throw new UnsupportedOperationException();
  }
}
