package io.tenantry.demo.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injects the chaos test's faults at random moments of a stretch, one at a time: a payment instance that
 * halts its JVM right after its next try committed (between try and confirm), the control plane killed
 * hard and started again on the same store, and a payment instance whose tries sleep past their callers'
 * timeouts for a few seconds. A watcher starts every payment instance that exited again under its id
 * and counts the halts (exit status 86). Every fault is injected {@code each} times at least, in a
 * random order. Thread-safe; {@link #close()} disarms what is still armed.
 */
final class ChaosMonkey implements AutoCloseable {
  enum Fault { HALT_AFTER_TRY, KILL_COORDINATOR, SLOW_TRY }

  static final List<String> PAYMENTS = List.of("payment-1", "payment-2");
  static final int HALT_STATUS = 86;
  static final Duration SLOW_TRY = Duration.ofSeconds(3);
  static final Duration SLOW_FOR = Duration.ofSeconds(4);

  private final ChaosSystem system;
  private final Random random;
  private final PrintStream log;
  private final Instant start = Instant.now();
  private final ScheduledExecutorService faults = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
  private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
  private final AtomicInteger halts = new AtomicInteger();
  private final AtomicInteger otherExits = new AtomicInteger();
  private final AtomicInteger restarts = new AtomicInteger();

  ChaosMonkey(ChaosSystem system, Random random, PrintStream log) {
    this.system = system;
    this.random = random;
    this.log = log;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicInteger());
    }
  }

  /** Schedules every fault {@code each} times at random moments between {@code from} and {@code to} from now. */
  void start(int each, Duration from, Duration to) {
    List<Fault> plan = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      plan.addAll(List.of(Fault.values()));
    }
    Collections.shuffle(plan, random);
    long slot = (to.toMillis() - from.toMillis()) / plan.size();
    for (int i = 0; i < plan.size(); i++) {
      Fault f = plan.get(i);
      long at = from.toMillis() + slot * i + (long) (random.nextDouble() * slot * 0.5);
      faults.schedule(() -> inject(f), at, TimeUnit.MILLISECONDS);
    }
    watcher.scheduleWithFixedDelay(this::restartExited, 200, 200, TimeUnit.MILLISECONDS);
  }

  /** A payment fault waits for an instance that is up (one may be starting again): tried this often, 500 ms apart. */
  static final int ATTEMPTS = 20;

  private void inject(Fault f) {
    inject(f, ATTEMPTS);
  }

  private void inject(Fault f, int attemptsLeft) {
    try {
      switch (f) {
        case HALT_AFTER_TRY -> {
          String id = pick();
          if (id != null && system.fault(id, Map.of("haltAfterTry", true))) {
            say(id + " halts after its next try");
            injected.get(f).incrementAndGet();
          } else {
            later(f, attemptsLeft);
          }
        }
        case KILL_COORDINATOR -> {
          say("killing the control plane (destroyForcibly)");
          system.killControlPlane();
          injected.get(f).incrementAndGet();
          system.startControlPlane();
          say("control plane answers again");
        }
        case SLOW_TRY -> {
          String id = pick();
          if (id != null && system.fault(id, Map.of("slowTry", SLOW_TRY.toSeconds() + "s", "slowTryRate", 0.5))) {
            say(id + ": half its tries sleep " + SLOW_TRY.toSeconds() + " s for " + SLOW_FOR.toSeconds() + " s");
            injected.get(f).incrementAndGet();
            faults.schedule(() -> system.fault(id, Map.of("slowTryRate", 0.0)), SLOW_FOR.toMillis(),
                TimeUnit.MILLISECONDS);
          } else {
            later(f, attemptsLeft);
          }
        }
      }
    } catch (Exception e) {
      say("could not inject " + f + ": " + e);
    }
  }

  private void later(Fault f, int attemptsLeft) {
    if (attemptsLeft > 1) {
      faults.schedule(() -> inject(f, attemptsLeft - 1), 500, TimeUnit.MILLISECONDS);
    } else {
      say("could not inject " + f + ": no payment instance took it");
    }
  }

  /** A payment instance that is up, or null. */
  private String pick() {
    List<String> up = PAYMENTS.stream().filter(system::up).toList();
    return up.isEmpty() ? null : up.get(random.nextInt(up.size()));
  }

  private void restartExited() {
    for (String id : PAYMENTS) {
      if (!system.alive(id)) {
        int status = system.exitStatus(id);
        (status == HALT_STATUS ? halts : otherExits).incrementAndGet();
        say(id + " exited with status " + status + (status == HALT_STATUS ? " (halted between try and confirm)" : "")
            + "; starting it again");
        if (system.restartIfExited(id)) {
          restarts.incrementAndGet();
        }
      }
    }
  }

  private void say(String what) {
    log.printf("chaos %5.1f s: %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, what);
  }

  Map<Fault, Integer> injected() {
    Map<Fault, Integer> out = new EnumMap<>(Fault.class);
    injected.forEach((f, n) -> out.put(f, n.get()));
    return out;
  }

  /** Payment instances that halted after a try (exit status 86). */
  int halts() {
    return halts.get();
  }

  /** Payment instances that exited otherwise (none expected). */
  int otherExits() {
    return otherExits.get();
  }

  /** Stops injecting (waiting for a fault under way), disarms the payment instances' faults, keeps restarting. */
  @Override
  public void close() {
    faults.shutdown();
    try {
      faults.awaitTermination(90, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    faults.shutdownNow();
    for (String id : PAYMENTS) {
      system.fault(id, Map.of("haltAfterTry", false, "slowTryRate", 0.0));
    }
  }

  /** Stops the watcher that restarts exited payment instances. */
  void stopWatching() {
    watcher.shutdownNow();
  }
}
