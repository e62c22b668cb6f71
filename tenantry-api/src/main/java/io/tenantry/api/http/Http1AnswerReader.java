package io.tenantry.api.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.tenantry.api.Names;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Arrays;

/**
 * Reads HTTP/1.1 answers, one after the other, from the input of one kept-alive connection (RFC 9112): the status
 * line, the header fields (only {@code Content-Length}, {@code Transfer-Encoding} and {@code Connection} matter
 * here), then the body, delimited by its length, by chunks, or by the end of the connection. Interim 1xx answers
 * are skipped. Header fields and bodies are bounded against a broken or hostile server; a bound passed, a malformed
 * line or a connection ended mid-answer is an {@link IOException} that names what was wrong.
 *
 * <p>Not thread-safe: one per connection, used by one call at a time.
 */
public final class Http1AnswerReader {
  /** One answer: its status, its whole body, and whether the connection may carry another exchange. */
  public record Answer(int status, byte[] body, boolean reusable) {}

  /** The connection ended before the first byte of an answer: a kept-alive connection the server had closed. */
  static final class NoAnswerException extends EOFException {
    NoAnswerException() {
      super("the connection was closed before an answer (a kept-alive connection the server had closed)");
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private final InputStream in;
  private final int maxHeaderBytes;
  private final int maxBodyBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private boolean started;
  private int headerBytes;

  Http1AnswerReader(InputStream in, int maxHeaderBytes, int maxBodyBytes) {
    this.in = in;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** To be called before each request is written: from now on, {@link #started()} tells of the answer to it. */
  void expectAnswer() {
    started = pos < limit;
  }

  /**
   * Whether a byte of the answer to the last request arrived (false: nothing came, the server may not have seen
   * the request).
   */
  boolean started() {
    return started;
  }

  /** Reads the next answer to a request that was not {@code HEAD}. */
  Answer read() throws IOException {
    while (true) {
      headerBytes = 0;
      String statusLine = line();
      int status = status(statusLine);
      boolean http10 = statusLine.startsWith("HTTP/1.0");
      long contentLength = -1;
      boolean chunked = false;
      boolean close = http10;
      for (String field = line(); !field.isEmpty(); field = line()) {
        int colon = field.indexOf(':');
        if (colon <= 0) {
          throw new ProtocolException("malformed header field '" + Names.shorten(field) + "' (expected: name: value)");
        }
        String name = field.substring(0, colon);
        String value = field.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          contentLength = contentLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.regionMatches(true, value.length() - 7, "chunked", 0, 7);
          if (!chunked) {
            throw new ProtocolException("Transfer-Encoding '" + Names.shorten(value) + "' (expected: chunked)");
          }
        } else if (name.equalsIgnoreCase("Connection")) {
          if (value.equalsIgnoreCase("close")) {
            close = true;
          } else if (http10 && value.equalsIgnoreCase("keep-alive")) {
            close = false;
          }
        }
      }
      if (status >= 100 && status < 200) {
        continue; // an interim answer (100 Continue, 103 Early Hints): the final one follows
      }
      if (status == 204 || status == 304) {
        return new Answer(status, EMPTY, !close);
      }
      if (chunked) {
        return new Answer(status, chunks(), !close);
      }
      if (contentLength >= 0) {
        return new Answer(status, exactly(contentLength), !close);
      }
      return new Answer(status, untilEnd(), false);
    }
  }

  private static int status(String line) throws ProtocolException {
    // HTTP/1.x SSS[ reason]
    if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' '
        || line.length() > 12 && line.charAt(12) != ' ') {
      throw malformedStatus(line);
    }
    int status = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw malformedStatus(line);
      }
      status = status * 10 + (c - '0');
    }
    if (status < 100) {
      throw malformedStatus(line);
    }
    return status;
  }

  private static ProtocolException malformedStatus(String line) {
    return new ProtocolException("malformed status line '" + Names.shorten(line)
        + "' (expected: HTTP/1.1 and a 3-digit status; is the server an HTTP/1.1 server?)");
  }

  private static long contentLength(String value) throws ProtocolException {
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ProtocolException("Content-Length '" + Names.shorten(value) + "' (expected: a whole number >= 0)");
  }

  private byte[] exactly(long length) throws IOException {
    if (length > maxBodyBytes) {
      throw tooLarge(length + " bytes");
    }
    byte[] body = new byte[(int) length];
    int n = 0;
    while (n < body.length) {
      if (pos == limit && !fill()) {
        throw new EOFException("the connection ended after " + n + " of " + length + " body bytes");
      }
      int k = Math.min(limit - pos, body.length - n);
      System.arraycopy(buf, pos, body, n, k);
      pos += k;
      n += k;
    }
    return body;
  }

  private byte[] chunks() throws IOException {
    byte[] body = new byte[256];
    int n = 0;
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';'); // chunk extensions are ignored
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      long size;
      try {
        size = hex.isEmpty() || hex.length() > 8 ? -1 : Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 0) {
        throw new ProtocolException("malformed chunk size '" + Names.shorten(sizeLine) + "' (expected: hexadecimal digits)");
      }
      if (size == 0) {
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
          // trailer fields carry nothing these answers need
        }
        return Arrays.copyOf(body, n);
      }
      if (n + size > maxBodyBytes) {
        throw tooLarge("over " + maxBodyBytes + " bytes in chunks");
      }
      if (n + size > body.length) {
        body = Arrays.copyOf(body, (int) Math.min(maxBodyBytes, Math.max(n + size, 2L * body.length)));
      }
      for (long left = size; left > 0; ) {
        if (pos == limit && !fill()) {
          throw new EOFException("the connection ended inside a chunk of " + size + " bytes");
        }
        int k = (int) Math.min(limit - pos, left);
        System.arraycopy(buf, pos, body, n, k);
        pos += k;
        n += k;
        left -= k;
      }
      if (!line().isEmpty()) {
        throw new ProtocolException("a chunk of " + size + " bytes is longer than its size (expected: CRLF after it)");
      }
    }
  }

  private byte[] untilEnd() throws IOException {
    byte[] body = new byte[256];
    int n = 0;
    while (pos < limit || fill()) {
      int k = limit - pos;
      if (n + k > maxBodyBytes) {
        throw tooLarge("over " + maxBodyBytes + " bytes before the connection ended");
      }
      if (n + k > body.length) {
        body = Arrays.copyOf(body, Math.min(maxBodyBytes, Math.max(n + k, 2 * body.length)));
      }
      System.arraycopy(buf, pos, body, n, k);
      pos = limit;
      n += k;
    }
    return Arrays.copyOf(body, n);
  }

  private ProtocolException tooLarge(String what) {
    return new ProtocolException("answer body of " + what + " (expected: at most " + maxBodyBytes
        + " bytes; the control plane answers these calls with small JSON documents)");
  }

  /** One line without its CRLF (a bare LF is taken too), counted against the header bound. */
  private String line() throws IOException {
    StringBuilder s = null;
    while (true) {
      if (pos == limit && !fill()) {
        if (!started) {
          throw new NoAnswerException();
        }
        throw new EOFException("the connection ended inside the answer's head");
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      headerBytes += pos - start + 1;
      if (headerBytes > maxHeaderBytes) {
        throw new ProtocolException("answer head (status line and header fields) over " + maxHeaderBytes
            + " bytes (expected: a few hundred)");
      }
      boolean ended = pos < limit;
      int end = ended && pos > start && buf[pos - 1] == '\r' ? pos - 1 : pos;
      if (s == null && ended) {
        pos++;
        return new String(buf, start, end - start, ISO_8859_1);
      }
      if (s == null) {
        s = new StringBuilder();
      }
      s.append(new String(buf, start, end - start, ISO_8859_1));
      if (ended) {
        pos++;
        int last = s.length() - 1;
        if (last >= 0 && s.charAt(last) == '\r') { // the CR was the last byte of the previous read
          s.setLength(last);
        }
        return s.toString();
      }
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    started = true;
    pos = 0;
    limit = n;
    return true;
  }

}
