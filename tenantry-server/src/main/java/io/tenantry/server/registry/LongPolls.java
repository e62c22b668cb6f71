package io.tenantry.server.registry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waiting long-polls as futures, not threads: a waiter sits in its service's set until the service
 * changes or its timer fires; the answer is then built on a small pool, off the thread that changed
 * the registry. Thread-safe.
 */
final class LongPolls {
  private final ScheduledExecutorService timer;
  private final ExecutorService answering;

  LongPolls(ScheduledExecutorService timer, ExecutorService answering) {
    this.timer = timer;
    this.answering = answering;
  }

  <T> CompletableFuture<T> await(ServiceState svc, long afterRevision, Duration wait, Supplier<T> answer) {
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    svc.waiters.add(waiter);
    // Checked after joining, so a change between the two is never missed (it completes the waiter).
    if (svc.revision > afterRevision) {
      release(svc, waiter);
    } else {
      try {
        timer.schedule(() -> release(svc, waiter), wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        release(svc, waiter); // shutting down: answer now
      }
    }
    try {
      return waiter.thenApplyAsync(x -> answer.get(), answering);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(answer.get());
    }
  }

  void close() {
    answering.shutdown();
  }

  private static void release(ServiceState svc, CompletableFuture<Void> waiter) {
    svc.waiters.remove(waiter);
    waiter.complete(null);
  }
}
