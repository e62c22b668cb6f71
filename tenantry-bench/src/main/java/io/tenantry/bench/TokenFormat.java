package io.tenantry.bench;

/**
 * How the token of change number t reads in a watch stream: a fixed marker followed by a fixed number
 * of bytes that encode t. Implementations are immutable and thread-safe.
 */
interface TokenFormat {
  byte[] marker();

  /** How many bytes follow the marker. */
  int length();

  /** The change number held by {@link #length()} bytes at {@code off}, or -1 if they are not one. */
  int decode(byte[] buf, int off);
}
