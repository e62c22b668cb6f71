package io.tenantry.api.policy;

import io.tenantry.api.ValidationException;
import java.time.Duration;

/**
 * Durations as policies write them: a whole number and a unit, {@code 250ms}, {@code 2s}, {@code 5m},
 * {@code 1h}, {@code 1d}. Short and unambiguous, which ISO-8601's {@code PT0.25S} is not to most readers.
 */
public final class DurationText {
  private DurationText() {}

  /** {@code text} parsed; must lie within [{@code min}, {@code max}]. */
  public static Duration parse(String field, String text, Duration min, Duration max) {
    if (text == null || text.isEmpty()) {
      throw new ValidationException(field, "missing (expected: a duration such as 250ms, 2s, 5m, 1h or 1d)");
    }
    int i = 0;
    while (i < text.length() && i < 12 && Character.isDigit(text.charAt(i))) {
      i++;
    }
    String unit = text.substring(i);
    Duration d;
    try {
      long n = Long.parseLong(text.substring(0, i));
      d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> null;
      };
    } catch (NumberFormatException e) {
      d = null;
    }
    if (d == null) {
      throw new ValidationException(field, "'" + io.tenantry.api.Names.shorten(text)
          + "' (expected: a whole number and a unit: ms, s, m, h or d, e.g. 250ms)");
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ValidationException(field, text + " (expected: " + format(min) + " to " + format(max) + ")");
    }
    return d;
  }

  /** The shortest exact text of {@code d} in the units {@link #parse} reads. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
