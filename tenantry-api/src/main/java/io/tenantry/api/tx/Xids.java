package io.tenantry.api.tx;

import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.util.regex.Pattern;

/**
 * Global transaction ids: 32 lower-case hex characters, the first 12 the begin time in milliseconds (so ids
 * sort by age), the other 20 random. Opaque to participants, which carry them in {@code X-Tenantry-Xid}.
 */
public final class Xids {
  public static final Pattern XID = Pattern.compile("[0-9a-f]{32}");
  /** A branch id is a whole number from 1, in registration order within its transaction. */
  public static final int MAX_BRANCHES = 64;
  /** The most a branch's {@code data} may take, as JSON. */
  public static final int MAX_DATA_BYTES = 8 * 1024;

  private Xids() {}

  /** {@code value} if it is a well-formed xid; else a {@link ValidationException} naming {@code field}. */
  public static String xid(String field, String value) {
    Names.required(field, value);
    if (!isXid(value)) {
      throw new ValidationException(field, "'" + Names.shorten(value) + "' (expected: 32 lower-case hex characters)");
    }
    return value;
  }

  /** True if {@code value} matches {@link #XID}, checked without a regular expression (every transaction call). */
  public static boolean isXid(String value) {
    if (value == null || value.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
