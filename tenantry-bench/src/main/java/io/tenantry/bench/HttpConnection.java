package io.tenantry.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket: writes a request prepared as bytes and reads
 * the whole response. It does as little as a client can, so that a load run measures the server and
 * not the driver. Not thread-safe: one connection per driver thread.
 */
final class HttpConnection implements Closeable {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 30_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] line = new byte[16 * 1024];
  private final byte[] skip = new byte[16 * 1024];
  private ByteArrayOutputStream body;
  private boolean closeAfter;

  private HttpConnection(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
  }

  static HttpConnection open(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      return new HttpConnection(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Keeps the body of every later response, readable with {@link #body()}. */
  HttpConnection keepingBodies() {
    body = new ByteArrayOutputStream(4096);
    return this;
  }

  /** The body of the last response, when {@link #keepingBodies()} was called; otherwise empty. */
  String body() {
    return body == null ? "" : body.toString(StandardCharsets.UTF_8);
  }

  /** True if the server said it will close the connection after the last response. */
  boolean closing() {
    return closeAfter;
  }

  /** Sends {@code request} and reads the response to its end; returns its status code. */
  int exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    return readResponse();
  }

  private int readResponse() throws IOException {
    if (body != null) {
      body.reset();
    }
    int n = readLine();
    if (n < 12 || line[0] != 'H') {
      throw new IOException("bad status line: " + new String(line, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1));
    }
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    long contentLength = -1;
    boolean chunked = false;
    closeAfter = false;
    while ((n = readLine()) > 0) {
      if (startsWithIgnoreCase(n, "content-length:")) {
        contentLength = Long.parseLong(value(n, "content-length:".length()));
      } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
        chunked = value(n, "transfer-encoding:".length()).toLowerCase().contains("chunked");
      } else if (startsWithIgnoreCase(n, "connection:")) {
        closeAfter = value(n, "connection:".length()).equalsIgnoreCase("close");
      }
    }
    if (status == 204 || status == 304 || status / 100 == 1) {
      return status;
    }
    if (chunked) {
      readChunked();
    } else if (contentLength >= 0) {
      readBody(contentLength);
    } else {
      readBody(Long.MAX_VALUE);
      closeAfter = true;
    }
    return status;
  }

  private void readChunked() throws IOException {
    while (true) {
      int n = readLine();
      int semicolon = indexOf(n, (byte) ';');
      long size = Long.parseLong(new String(line, 0, semicolon < 0 ? n : semicolon, StandardCharsets.ISO_8859_1).trim(), 16);
      if (size == 0) {
        while (readLine() > 0) {
          // trailers
        }
        return;
      }
      readBody(size);
      readLine();
    }
  }

  private void readBody(long length) throws IOException {
    long left = length;
    while (left > 0) {
      int r = in.read(skip, 0, (int) Math.min(skip.length, left));
      if (r < 0) {
        if (length == Long.MAX_VALUE) {
          return;
        }
        throw new EOFException("body ended " + left + " bytes early");
      }
      if (body != null) {
        body.write(skip, 0, r);
      }
      left -= r;
    }
  }

  /** Reads one line into {@link #line} without its CRLF; returns its length. */
  private int readLine() throws IOException {
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (b == '\n') {
        return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
      }
      if (n == line.length) {
        throw new IOException("header line longer than " + line.length + " bytes");
      }
      line[n++] = (byte) b;
    }
  }

  private boolean startsWithIgnoreCase(int n, String prefix) {
    if (n < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(line[i]) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private String value(int n, int from) {
    return new String(line, from, n - from, StandardCharsets.ISO_8859_1).trim();
  }

  private int indexOf(int n, byte b) {
    for (int i = 0; i < n; i++) {
      if (line[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
