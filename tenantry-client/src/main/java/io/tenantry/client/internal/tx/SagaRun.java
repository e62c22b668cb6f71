package io.tenantry.client.internal.tx;

import io.tenantry.client.tx.Saga;
import io.tenantry.client.tx.SagaStep;
import io.tenantry.client.tx.TxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A saga of one service's steps, run in order in one saga transaction. Immutable. */
final class SagaRun implements Saga {
  private record Step<A>(SagaStep<A> step, String key, A args) {
    void run() {
      step.run(key, args);
    }
  }

  private final TxEngine engine;
  private final String name;
  private final List<Step<?>> steps;

  static SagaRun empty(TxEngine engine, String name) {
    return new SagaRun(engine, name, List.of());
  }

  private SagaRun(TxEngine engine, String name, List<Step<?>> steps) {
    this.engine = engine;
    this.name = name;
    this.steps = steps;
  }

  @Override
  public <A> Saga step(SagaStep<A> step, String key, A args) {
    Objects.requireNonNull(step, "step");
    io.tenantry.api.Names.id("key", key);
    List<Step<?>> more = new ArrayList<>(steps);
    more.add(new Step<>(step, key, args));
    return new SagaRun(engine, name, List.copyOf(more));
  }

  @Override
  public void run() {
    if (steps.isEmpty()) {
      throw new IllegalStateException("saga " + name + ": no steps (expected: step(...) before run())");
    }
    engine.inTransaction(TxOptions.saga(name), g -> {
      for (Step<?> s : steps) {
        s.run();
      }
      return null;
    });
  }
}
