package io.tenantry.server.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * How alerts are evaluated, kept and delivered. Immutable.
 *
 * @param interval         how often every rule is evaluated
 * @param retention        events older than this are removed (an alert still firing keeps its firing event)
 * @param maxEvents        events kept per namespace at most, the oldest removed first
 * @param webhookTimeout   per attempt, to connect and to get the answer's head
 * @param webhookAttempts  attempts per delivery, the first included
 * @param webhookBackoff   the wait before the first retry, doubled for each later one (with jitter) …
 * @param webhookMaxBackoff … up to this
 * @param webhookQueue     deliveries in progress (waiting or being retried) at most; beyond, new ones are dropped
 * @param webhookSecret    signs every webhook (HMAC-SHA256) when not null
 * @param webhookNetworks  which addresses a webhook may be delivered to
 */
public record AlertSettings(Duration interval, Duration retention, int maxEvents, Duration webhookTimeout,
    int webhookAttempts, Duration webhookBackoff, Duration webhookMaxBackoff, int webhookQueue, String webhookSecret,
    WebhookNetworks webhookNetworks) {
  /**
   * Every 10 s; 30 days and 10,000 events per namespace; 5 attempts of 5 s at most, backoff 1 s doubling up to 1 min;
   * 1,000 under way; public addresses only.
   */
  public static final AlertSettings DEFAULTS = new AlertSettings(Duration.ofSeconds(10), Duration.ofDays(30), 10_000,
      Duration.ofSeconds(5), 5, Duration.ofSeconds(1), Duration.ofMinutes(1), 1_000, null, WebhookNetworks.PUBLIC);

  public AlertSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(webhookTimeout, "webhookTimeout");
    Objects.requireNonNull(webhookBackoff, "webhookBackoff");
    Objects.requireNonNull(webhookMaxBackoff, "webhookMaxBackoff");
    Objects.requireNonNull(webhookNetworks, "webhookNetworks");
    if (maxEvents < 1 || webhookAttempts < 1 || webhookQueue < 1) {
      throw new IllegalArgumentException("maxEvents, webhookAttempts, webhookQueue: " + maxEvents + ", "
          + webhookAttempts + ", " + webhookQueue + " (expected: >= 1)");
    }
  }

  public AlertSettings withInterval(Duration d) {
    return new AlertSettings(d, retention, maxEvents, webhookTimeout, webhookAttempts, webhookBackoff, webhookMaxBackoff,
        webhookQueue, webhookSecret, webhookNetworks);
  }

  public AlertSettings withRetention(Duration d) {
    return new AlertSettings(interval, d, maxEvents, webhookTimeout, webhookAttempts, webhookBackoff, webhookMaxBackoff,
        webhookQueue, webhookSecret, webhookNetworks);
  }

  public AlertSettings withMaxEvents(int n) {
    return new AlertSettings(interval, retention, n, webhookTimeout, webhookAttempts, webhookBackoff, webhookMaxBackoff,
        webhookQueue, webhookSecret, webhookNetworks);
  }

  public AlertSettings withWebhookTimeout(Duration d) {
    return new AlertSettings(interval, retention, maxEvents, d, webhookAttempts, webhookBackoff, webhookMaxBackoff,
        webhookQueue, webhookSecret, webhookNetworks);
  }

  public AlertSettings withWebhookAttempts(int n) {
    return new AlertSettings(interval, retention, maxEvents, webhookTimeout, n, webhookBackoff, webhookMaxBackoff,
        webhookQueue, webhookSecret, webhookNetworks);
  }

  /** The first backoff; the maximum stays at least as long. */
  public AlertSettings withWebhookBackoff(Duration d) {
    return new AlertSettings(interval, retention, maxEvents, webhookTimeout, webhookAttempts, d,
        webhookMaxBackoff.compareTo(d) < 0 ? d : webhookMaxBackoff, webhookQueue, webhookSecret, webhookNetworks);
  }

  public AlertSettings withWebhookQueue(int n) {
    return new AlertSettings(interval, retention, maxEvents, webhookTimeout, webhookAttempts, webhookBackoff,
        webhookMaxBackoff, n, webhookSecret, webhookNetworks);
  }

  /** null for unsigned webhooks. */
  public AlertSettings withWebhookSecret(String secret) {
    return new AlertSettings(interval, retention, maxEvents, webhookTimeout, webhookAttempts, webhookBackoff,
        webhookMaxBackoff, webhookQueue, secret, webhookNetworks);
  }

  public AlertSettings withWebhookNetworks(WebhookNetworks networks) {
    return new AlertSettings(interval, retention, maxEvents, webhookTimeout, webhookAttempts, webhookBackoff,
        webhookMaxBackoff, webhookQueue, webhookSecret, networks);
  }

  /** The secret is never part of the text form. */
  @Override
  public String toString() {
    return "AlertSettings[interval=" + interval + ", retention=" + retention + ", maxEvents=" + maxEvents
        + ", webhookTimeout=" + webhookTimeout + ", webhookAttempts=" + webhookAttempts + ", webhookBackoff="
        + webhookBackoff + ", webhookMaxBackoff=" + webhookMaxBackoff + ", webhookQueue=" + webhookQueue
        + ", webhookSecret=" + (webhookSecret == null ? "(none)" : "(set)") + ", webhookNetworks=" + webhookNetworks
        + "]";
  }
}
