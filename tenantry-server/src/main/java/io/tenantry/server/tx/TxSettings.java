package io.tenantry.server.tx;

import java.time.Duration;
import java.util.Objects;

/**
 * How the transaction coordinator drives phase two, times out and keeps transactions. Immutable; change a copy
 * with the {@code with…} methods.
 *
 * @param retryBaseBackoff the wait before the first retry of a phase-two call, doubled for each later one (with
 *     jitter) …
 * @param retryMaxBackoff  … up to this ({@code tx.retry-max-backoff})
 * @param sagaMaxAttempts  attempts of one saga compensation before the transaction is stuck ({@code tx.saga-max-attempts})
 * @param phaseTwoTimeout  timeout of one phase-two call, to connect and to answer ({@code tx.phase-two-timeout})
 * @param retention        finished transactions are purged this long after they ended ({@code tx.retention})
 * @param scanInterval     how often the leader looks for timed-out transactions and phase two to resume
 *     ({@code tx.scan-interval})
 */
public record TxSettings(Duration retryBaseBackoff, Duration retryMaxBackoff, int sagaMaxAttempts,
    Duration phaseTwoTimeout, Duration retention, Duration scanInterval) {
  /** 200 ms doubling up to 30 s; 20 saga attempts; 10 s per call; kept 7 days; scanned every second. */
  public static final TxSettings DEFAULTS = new TxSettings(Duration.ofMillis(200), Duration.ofSeconds(30), 20,
      Duration.ofSeconds(10), Duration.ofDays(7), Duration.ofSeconds(1));
  /** The longest {@code ?wait=} of a commit or rollback. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  public TxSettings {
    positive("tx.retry-base-backoff", retryBaseBackoff);
    positive("tx.retry-max-backoff", retryMaxBackoff);
    positive("tx.phase-two-timeout", phaseTwoTimeout);
    positive("tx.retention", retention);
    positive("tx.scan-interval", scanInterval);
    if (sagaMaxAttempts < 1) {
      throw new IllegalArgumentException("tx.saga-max-attempts: " + sagaMaxAttempts + " (expected: >= 1)");
    }
    if (retryMaxBackoff.compareTo(retryBaseBackoff) < 0) {
      throw new IllegalArgumentException("tx.retry-max-backoff: " + retryMaxBackoff
          + " (expected: >= tx.retry-base-backoff " + retryBaseBackoff + ")");
    }
  }

  public TxSettings withRetryBaseBackoff(Duration d) {
    return new TxSettings(d, retryMaxBackoff, sagaMaxAttempts, phaseTwoTimeout, retention, scanInterval);
  }

  public TxSettings withRetryMaxBackoff(Duration d) {
    return new TxSettings(retryBaseBackoff, d, sagaMaxAttempts, phaseTwoTimeout, retention, scanInterval);
  }

  public TxSettings withSagaMaxAttempts(int n) {
    return new TxSettings(retryBaseBackoff, retryMaxBackoff, n, phaseTwoTimeout, retention, scanInterval);
  }

  public TxSettings withPhaseTwoTimeout(Duration d) {
    return new TxSettings(retryBaseBackoff, retryMaxBackoff, sagaMaxAttempts, d, retention, scanInterval);
  }

  public TxSettings withRetention(Duration d) {
    return new TxSettings(retryBaseBackoff, retryMaxBackoff, sagaMaxAttempts, phaseTwoTimeout, d, scanInterval);
  }

  public TxSettings withScanInterval(Duration d) {
    return new TxSettings(retryBaseBackoff, retryMaxBackoff, sagaMaxAttempts, phaseTwoTimeout, retention, d);
  }

  private static void positive(String key, Duration d) {
    Objects.requireNonNull(d, key);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + ": " + d + " (expected: > 0)");
    }
  }
}
