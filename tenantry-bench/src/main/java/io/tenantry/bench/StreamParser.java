package io.tenantry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses one streamed HTTP response as its bytes arrive: the status line and headers, then the body,
 * chunked or not, scanned for a subscription marker and for tokens ({@link TokenFormat}), also when one
 * is split across reads or chunks. A token counts once and only if it is newer than the last one seen
 * (a stream delivers changes in order). Not thread-safe: one parser per stream, fed by one thread.
 */
final class StreamParser {
  /** What a parser reports. */
  interface Listener {
    /** The stream is subscribed: a 2xx status, or the ready marker when there is one. */
    void subscribed();

    /** Token {@code t} arrived in the bytes read at {@code now}. */
    void token(int t, long now);
  }

  /** A buffer shared by every parser of one thread: a stream's carried tail followed by the new bytes. */
  static final class Scratch {
    private byte[] bytes = new byte[80 * 1024];

    byte[] atLeast(int size) {
      if (bytes.length < size) {
        bytes = new byte[size * 2];
      }
      return bytes;
    }
  }

  private static final int SIZE = 0;
  private static final int DATA = 1;
  private static final int AFTER_DATA = 2;
  private static final int ENDED = 3;

  private final TokenFormat format;
  private final byte[] readyMarker;
  private final int tokens;
  private final Listener listener;
  private final byte[] head = new byte[16 * 1024];
  private final byte[] carry;
  private int headLength;
  private boolean headersDone;
  private boolean chunked;
  private int chunkState = SIZE;
  private long chunkSize;
  private boolean chunkExtension;
  private long chunkLeft;
  private boolean subscribed;
  private int carryLength;
  private int lastToken = -1;

  /**
   * @param readyMarker bytes whose arrival means the stream is subscribed, or null when a 2xx status is enough
   * @param tokens      tokens 0 to tokens - 1 are reported; others are ignored
   */
  StreamParser(TokenFormat format, byte[] readyMarker, int tokens, Listener listener) {
    this.format = format;
    this.readyMarker = readyMarker;
    this.tokens = tokens;
    this.listener = listener;
    this.carry = new byte[Math.max(format.marker().length + format.length(),
        readyMarker == null ? 0 : readyMarker.length)];
  }

  boolean subscribed() {
    return subscribed;
  }

  /** Takes the next {@code n} bytes of the response; a non-2xx status is an IOException. */
  void feed(byte[] b, int n, long now, Scratch scratch) throws IOException {
    int i = 0;
    if (!headersDone) {
      while (i < n && !headersDone) {
        if (headLength == head.length) {
          throw new IOException("response headers longer than " + head.length + " bytes");
        }
        head[headLength++] = b[i++];
        headersDone = headLength >= 4 && head[headLength - 4] == '\r' && head[headLength - 3] == '\n'
            && head[headLength - 2] == '\r' && head[headLength - 1] == '\n';
      }
      if (!headersDone) {
        return;
      }
      String headers = new String(head, 0, headLength, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(headers.substring(9, 12));
      if (status / 100 != 2) {
        String body = new String(b, i, Math.min(n - i, 300), StandardCharsets.UTF_8);
        throw new IOException("watch answered " + status + ": " + body);
      }
      chunked = headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
      if (readyMarker == null) {
        subscribe();
      }
    }
    if (!chunked) {
      payload(b, i, n - i, now, scratch);
      return;
    }
    while (i < n) {
      switch (chunkState) {
        case SIZE -> {
          byte c = b[i++];
          if (c == '\n') {
            chunkState = chunkSize == 0 ? ENDED : DATA;
            chunkLeft = chunkSize;
            chunkSize = 0;
            chunkExtension = false;
          } else if (c == ';') {
            chunkExtension = true;
          } else if (!chunkExtension && Character.digit(c, 16) >= 0) {
            chunkSize = chunkSize * 16 + Character.digit(c, 16);
          }
        }
        case DATA -> {
          int take = (int) Math.min(chunkLeft, n - i);
          payload(b, i, take, now, scratch);
          i += take;
          chunkLeft -= take;
          if (chunkLeft == 0) {
            chunkState = AFTER_DATA;
          }
        }
        case AFTER_DATA -> {
          if (b[i++] == '\n') {
            chunkState = SIZE;
          }
        }
        default -> i = n;
      }
    }
  }

  private void payload(byte[] b, int off, int len, long now, Scratch scratch) {
    if (len == 0) {
      return;
    }
    int total = carryLength + len;
    byte[] s = scratch.atLeast(total);
    System.arraycopy(carry, 0, s, 0, carryLength);
    System.arraycopy(b, off, s, carryLength, len);
    if (!subscribed && find(s, total, readyMarker, 0) >= 0) {
      subscribe();
    }
    byte[] marker = format.marker();
    int tokenEnd = marker.length + format.length();
    for (int p = find(s, total, marker, 0); p >= 0 && p + tokenEnd <= total; p = find(s, total, marker, p + 1)) {
      int t = format.decode(s, p + marker.length);
      if (t > lastToken && t < tokens) {
        lastToken = t;
        listener.token(t, now);
      }
    }
    // keep what could be the start of a token cut off by this read, and nothing that held a whole one
    carryLength = Math.min(carry.length - 1, total);
    System.arraycopy(s, total - carryLength, carry, 0, carryLength);
  }

  private void subscribe() {
    if (!subscribed) {
      subscribed = true;
      listener.subscribed();
    }
  }

  /** The first index at or after {@code from} where {@code pattern} starts in {@code s[0, length)}, or -1. */
  static int find(byte[] s, int length, byte[] pattern, int from) {
    if (pattern == null) {
      return -1;
    }
    outer:
    for (int p = from; p + pattern.length <= length; p++) {
      for (int k = 0; k < pattern.length; k++) {
        if (s[p + k] != pattern[k]) {
          continue outer;
        }
      }
      return p;
    }
    return -1;
  }
}
