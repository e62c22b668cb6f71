package io.tenantry.bench.tx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * The load side of a transaction driver process, the same for every coordinator: it announces itself, then
 * runs what the orchestrator asks on its stdin, one command a line, and answers each on stdout:
 * <pre>
 *   txbench ready                                 (once the client is initialised)
 *   run &lt;kind&gt; &lt;threads&gt; &lt;millis&gt;    →  txbench done ops=... (a {@link TxRun} line)
 *   quit                                          →  the loop returns
 * </pre>
 * A run is a closed loop: each of the threads starts its next transaction as soon as the last one is answered,
 * until the time is up; a kind may also be given a condition the run waits for at its end, inside its measured
 * time (e.g. every phase two of a coordinator that answers commit before phase two has arrived). The orchestrator reads the server's CPU time just before it sends {@code run} and just
 * after the answer, so the driver needs to know nothing about the server. Not thread-safe: one loop per process.
 */
public final class TxDriverLoop {
  private static final long MAX_LATENCY_MICROS = 60_000_000L;
  /** A run gives up once this many transactions failed: its figures would mean nothing. */
  private static final long MAX_ERRORS = 1_000;

  /** How long a run waits at most for its kind's settling condition. */
  private static final long SETTLE_NANOS = 60_000_000_000L;

  private final Map<String, TxCall> kinds;
  private final Map<String, BooleanSupplier> settled;

  /** @param kinds what {@code run <kind>} may name, e.g. {@code empty} and {@code tcc2} */
  public TxDriverLoop(Map<String, TxCall> kinds) {
    this(kinds, Map.of());
  }

  /** @param settled for some kinds, what must hold before a run of that kind ends (checked every millisecond) */
  public TxDriverLoop(Map<String, TxCall> kinds, Map<String, BooleanSupplier> settled) {
    this.kinds = Map.copyOf(kinds);
    this.settled = Map.copyOf(settled);
  }

  /** Serves commands until {@code quit} or the end of {@code commands}. */
  public void serve(BufferedReader commands, PrintStream answers) throws IOException, InterruptedException {
    answers.println(TxRun.PREFIX + "ready");
    answers.flush();
    String line;
    while ((line = commands.readLine()) != null) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals("quit")) {
        return;
      }
      if (f[0].equals("run") && f.length == 4 && kinds.containsKey(f[1])) {
        answers.println(run(kinds.get(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]) * 1_000_000L,
            settled.getOrDefault(f[1], () -> true)).toLine());
      } else {
        answers.println(TxRun.PREFIX + "unknown command: " + line + " (expected: run <" + String.join("|",
            kinds.keySet()) + "> <threads> <millis>, or quit)");
      }
      answers.flush();
    }
  }

  /** Runs {@code call} on {@code threads} threads for {@code nanos}, then waits until {@code settled} holds. */
  public static TxRun run(TxCall call, int threads, long nanos, BooleanSupplier settled) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> first = new AtomicReference<>();
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    // the clock starts once every thread exists (starting 64 threads on a loaded machine takes a while)
    CountDownLatch go = new CountDownLatch(1);
    long[] deadline = new long[1];
    for (int t = 0; t < threads; t++) {
      Histogram h = new Histogram(MAX_LATENCY_MICROS, 2);
      histograms.add(h);
      Thread w = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        while (System.nanoTime() < deadline[0] && errors.get() < MAX_ERRORS) {
          long t0 = System.nanoTime();
          try {
            call.run();
            h.recordValue(Math.min((System.nanoTime() - t0) / 1000, MAX_LATENCY_MICROS));
            done.incrementAndGet();
          } catch (Exception | AssertionError e) {
            errors.incrementAndGet();
            first.compareAndSet(null, e);
          }
        }
      }, "tx-load-" + t);
      w.setDaemon(true);
      workers.add(w);
      w.start();
    }
    long start = System.nanoTime();
    deadline[0] = start + nanos; // published to the workers by the latch
    go.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long settleDeadline = System.nanoTime() + SETTLE_NANOS;
    while (!settled.getAsBoolean()) {
      if (System.nanoTime() > settleDeadline) {
        errors.incrementAndGet();
        first.compareAndSet(null, new IllegalStateException("not settled within 60 s after the run"));
        break;
      }
      Thread.sleep(1); // a counter other threads move: nothing to block on
    }
    long wall = System.nanoTime() - start;
    Histogram all = new Histogram(MAX_LATENCY_MICROS, 2);
    histograms.forEach(all::add);
    Throwable e = first.get();
    return new TxRun(done.get(), errors.get(), wall, all.getValueAtPercentile(50), all.getValueAtPercentile(99),
        all.getMaxValue(), e == null ? null : e.toString());
  }
}
