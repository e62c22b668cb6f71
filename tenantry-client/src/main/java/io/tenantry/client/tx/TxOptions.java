package io.tenantry.client.tx;

import io.tenantry.api.Names;
import io.tenantry.api.tx.BeginRequest;
import io.tenantry.api.tx.TxMode;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Transactions#inTransaction} begins and ends a global transaction: its mode and name, how long it
 * may stay active before the coordinator rolls it back, and how long commit waits for phase two. Immutable:
 * each setter returns a copy.
 *
 * <pre>{@code
 * TxOptions.tcc("place-order").timeout(Duration.ofSeconds(30)).waitForPhaseTwo(Duration.ofSeconds(2))
 * }</pre>
 */
public final class TxOptions {
  /** The longest commit may wait for phase two, as the coordinator allows. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final TxMode mode;
  private final String name;
  private final Duration timeout;
  private final Duration waitForPhaseTwo;

  private TxOptions(TxMode mode, String name, Duration timeout, Duration waitForPhaseTwo) {
    this.mode = mode;
    this.name = name;
    this.timeout = timeout;
    this.waitForPhaseTwo = waitForPhaseTwo;
  }

  /** A try-confirm-cancel transaction named {@code name} (a name: {@code place-order}). */
  public static TxOptions tcc(String name) {
    return new TxOptions(TxMode.TCC, Names.name("name", name), BeginRequest.DEFAULT_TIMEOUT, Duration.ZERO);
  }

  /** A saga named {@code name}. */
  public static TxOptions saga(String name) {
    return new TxOptions(TxMode.SAGA, Names.name("name", name), BeginRequest.DEFAULT_TIMEOUT, Duration.ZERO);
  }

  /** How long it may stay active, 1 s to 1 h; default 60 s. */
  public TxOptions timeout(Duration value) {
    Objects.requireNonNull(value, "timeout");
    if (value.compareTo(BeginRequest.MIN_TIMEOUT) < 0 || value.compareTo(BeginRequest.MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException("timeout: " + value + " (expected: 1s to 1h)");
    }
    return new TxOptions(mode, name, value, waitForPhaseTwo);
  }

  /**
   * How long commit (and rollback) waits for phase two to finish before it returns, 0 to 30 s; default 0: return
   * once the decision is durable, phase two finishing in the background.
   */
  public TxOptions waitForPhaseTwo(Duration value) {
    Objects.requireNonNull(value, "waitForPhaseTwo");
    if (value.isNegative() || value.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("waitForPhaseTwo: " + value + " (expected: 0 to 30s)");
    }
    return new TxOptions(mode, name, timeout, value);
  }

  public TxMode mode() {
    return mode;
  }

  public String name() {
    return name;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration waitForPhaseTwo() {
    return waitForPhaseTwo;
  }

  @Override
  public String toString() {
    return mode + " " + name + " (timeout " + timeout + ", wait " + waitForPhaseTwo + ")";
  }
}
