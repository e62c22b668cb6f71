package io.tenantry.client.internal.resilience;

import com.netflix.concurrency.limits.Limit;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A concurrency-limits {@link Limit} whose algorithm can be replaced while its limiter keeps counting the calls in
 * progress: the limiter is built once over this, and a policy change swaps the algorithm under it. Listeners are
 * told the new algorithm's limit at once. Thread-safe.
 */
final class SwitchableLimit implements Limit {
  private final CopyOnWriteArrayList<Consumer<Integer>> listeners = new CopyOnWriteArrayList<>();
  private volatile Limit delegate;

  SwitchableLimit(Limit initial) {
    delegate = Objects.requireNonNull(initial, "initial");
    initial.notifyOnChange(this::changed);
  }

  /** Replaces the algorithm; its limit applies at once. */
  void switchTo(Limit next) {
    Objects.requireNonNull(next, "next");
    delegate = next;
    next.notifyOnChange(this::changed);
    changed(next.getLimit());
  }

  private void changed(Integer limit) {
    for (Consumer<Integer> l : listeners) {
      l.accept(limit);
    }
  }

  Limit delegate() {
    return delegate;
  }

  @Override
  public int getLimit() {
    return delegate.getLimit();
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
    listeners.add(consumer);
  }

  @Override
  public void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    // Vegas throws on a zero round trip (a coarse clock): that must never fail the call that reports it.
    delegate.onSample(startTime, Math.max(1, rtt), inflight, didDrop);
  }
}
