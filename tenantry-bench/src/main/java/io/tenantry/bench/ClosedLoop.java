package io.tenantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import java.util.function.IntPredicate;
import org.HdrHistogram.Histogram;

/**
 * Drives a server with a fixed number of keep-alive connections, one thread each, every thread sending
 * its next request as soon as the last one is answered (a closed loop). Each phase is bounded both in
 * operations and in time. Not thread-safe: one phase at a time.
 */
final class ClosedLoop {
  /** A phase gives up once this many requests failed: the numbers would mean nothing. */
  private static final long MAX_ERRORS = 1_000;

  private final InetSocketAddress address;
  private final int connections;
  private final ProcessProbe server;
  private final ProcessProbe self = new ProcessProbe(ProcessHandle.current().pid());

  ClosedLoop(InetSocketAddress address, int connections, ProcessProbe server) {
    if (connections < 1) {
      throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1)");
    }
    this.address = address;
    this.connections = connections;
    this.server = server;
  }

  /**
   * Sends request {@code requestFor.apply(i)} for i = 0, 1, ... until {@code count} were sent or
   * {@code maxTime} passed; a response whose status {@code ok} refuses counts as an error.
   */
  LoadResult run(long count, Duration maxTime, LongFunction<byte[]> requestFor, IntPredicate ok) throws IOException {
    List<HttpConnection> open = new ArrayList<>(connections);
    try {
      for (int c = 0; c < connections; c++) {
        open.add(HttpConnection.open(address));
      }
      AtomicLong next = new AtomicLong();
      AtomicLong done = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Histogram> histograms = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      long cpuBefore = server.cpuNanos();
      long jitBefore = server.jitCpuNanos();
      long selfBefore = self.cpuNanos();
      long start = System.nanoTime();
      long deadline = start + maxTime.toNanos();
      for (int c = 0; c < connections; c++) {
        Histogram h = new Histogram(60_000_000L, 2);
        histograms.add(h);
        Worker w = new Worker(open, c, count, deadline, next, done, errors, failure, requestFor, ok, h);
        Thread t = new Thread(w, "load-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      long wall = System.nanoTime() - start;
      long cpu = server.cpuNanos() - cpuBefore;
      long jit = Math.max(0, server.jitCpuNanos() - jitBefore);
      long driverCpu = self.pid() == server.pid() ? 0 : self.cpuNanos() - selfBefore;
      if (failure.get() != null && done.get() == 0) {
        throw new IOException("every request failed", failure.get());
      }
      Histogram all = new Histogram(60_000_000L, 2);
      histograms.forEach(all::add);
      Throwable first = failure.get();
      return new LoadResult(done.get(), errors.get(), wall, cpu, jit, driverCpu, all,
          first == null ? null : first.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      for (HttpConnection c : open) {
        c.close();
      }
    }
  }

  /** One connection's loop. */
  private final class Worker implements Runnable {
    private final List<HttpConnection> open;
    private final int slot;
    private final long count;
    private final long deadline;
    private final AtomicLong next;
    private final AtomicLong done;
    private final AtomicLong errors;
    private final AtomicReference<Throwable> failure;
    private final LongFunction<byte[]> requestFor;
    private final IntPredicate ok;
    private final Histogram latency;

    Worker(List<HttpConnection> open, int slot, long count, long deadline, AtomicLong next, AtomicLong done,
        AtomicLong errors, AtomicReference<Throwable> failure, LongFunction<byte[]> requestFor, IntPredicate ok,
        Histogram latency) {
      this.open = open;
      this.slot = slot;
      this.count = count;
      this.deadline = deadline;
      this.next = next;
      this.done = done;
      this.errors = errors;
      this.failure = failure;
      this.requestFor = requestFor;
      this.ok = ok;
      this.latency = latency;
    }

    @Override
    public void run() {
      HttpConnection conn = open.get(slot);
      long i;
      while (errors.get() < MAX_ERRORS && System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
        byte[] request = requestFor.apply(i);
        long t0 = System.nanoTime();
        try {
          int status = conn.exchange(request);
          latency.recordValue(Math.min((System.nanoTime() - t0) / 1000, 60_000_000L));
          if (ok.test(status)) {
            done.incrementAndGet();
          } else {
            recordError(new IOException("status " + status));
          }
          if (conn.closing()) {
            conn = reopen(conn);
          }
        } catch (IOException e) {
          recordError(e);
          try {
            conn = reopen(conn);
          } catch (IOException again) {
            recordError(again);
            return;
          }
        }
      }
    }

    private HttpConnection reopen(HttpConnection conn) throws IOException {
      conn.close();
      HttpConnection fresh = HttpConnection.open(address);
      synchronized (open) {
        open.set(slot, fresh);
      }
      return fresh;
    }

    private void recordError(Throwable t) {
      errors.incrementAndGet();
      failure.compareAndSet(null, t);
    }
  }
}
