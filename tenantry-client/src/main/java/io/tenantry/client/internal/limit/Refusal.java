package io.tenantry.client.internal.limit;

/**
 * A call refused at the door: the adapter answers {@code status} (429) with header
 * {@code Retry-After: retryAfterSeconds}, content type {@code application/problem+json} and
 * {@code body}. Immutable; {@code body} is shared and must not be modified.
 *
 * @param type              {@code rate-limited} or {@code quota-exceeded} (the problem type's last segment)
 * @param retryAfterSeconds when one token will be back, rounded up, at least 1
 */
public record Refusal(int status, long retryAfterSeconds, String type, byte[] body) {
  public static final int STATUS = 429;
  public static final String RATE_LIMITED = "rate-limited";
  public static final String QUOTA_EXCEEDED = "quota-exceeded";

  /** The {@code Retry-After} header's value. */
  public String retryAfter() {
    return Long.toString(retryAfterSeconds);
  }
}
