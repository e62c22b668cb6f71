package io.tenantry.api.http;

import io.tenantry.api.http.Http1AnswerReader.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small HTTP/1.1 exchanges with one server over plain {@code http}, made on the calling thread over a pool of
 * kept-alive connections: the SDK's transaction calls to the coordinator (begin, branch registration, commit,
 * rollback) and the coordinator's phase-two calls to participants, made for every transaction, for which the
 * JDK's {@code HttpClient} costs several times the exchange itself (hand-offs to its selector thread, futures,
 * header maps). A call takes the most recently used idle connection (or opens one), writes the request in one
 * write, reads the answer with an {@link Http1AnswerReader} and gives the connection back, unless the server
 * closes it. {@code https} is not served here: callers keep the JDK client for it.
 *
 * <p>A kept-alive connection the server had closed in the meantime fails before any byte of the answer arrives;
 * the call is then made once more on a new connection. That is safe for what goes through here: every call is
 * idempotent but a begin, and a begin repeated whose answer was lost leaves an empty transaction that its timeout
 * rolls back. Connections idle for longer than {@code idleTimeout} (set below the server's own idle timeout) are
 * closed instead of being used. Failing to connect, or to connect within {@code connectTimeout}, is a
 * {@link ConnectException}, on which a caller with several servers moves to the next. The {@code timeout} of a
 * call bounds each wait for the answer's bytes; a blocked read is not interruptible.
 *
 * <p>Thread-safety: thread-safe; a connection serves one call at a time.
 */
public final class Http1Link implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final byte[] CRLF = {'\r', '\n'};

  private final String peer;
  private final String host;
  private final int port;
  private final String authority;
  private final int connectTimeoutMillis;
  private final long idleTimeoutNanos;
  private final int maxIdle;
  private final int maxBodyBytes;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;
  private volatile long lastUsed = System.nanoTime();

  /**
   * A link to {@code server} ({@code http://host[:port]}), named {@code peer} in its errors (e.g. "the control
   * plane"), keeping at most {@code maxIdle} idle connections, each for at most {@code idleTimeout}; answers with
   * bodies over {@code maxBodyBytes} fail.
   */
  public Http1Link(String peer, URI server, Duration connectTimeout, Duration idleTimeout, int maxIdle,
      int maxBodyBytes) {
    if (!"http".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
      throw new IllegalArgumentException("server: " + server + " (expected: http://host[:port]; https is served by"
          + " the JDK client)");
    }
    this.peer = peer;
    this.host = server.getHost();
    this.port = server.getPort() < 0 ? 80 : server.getPort();
    this.authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]:" + port : host + ":" + port;
    this.connectTimeoutMillis = millis(connectTimeout);
    this.idleTimeoutNanos = idleTimeout.toNanos();
    this.maxIdle = maxIdle;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Sends {@code method target} ({@code target}: the path and query) with the {@code headers} (name, value, name,
   * value, ...; {@code Host} and {@code Content-Length} are added) and {@code body} (null: none) and reads the
   * answer, waiting at most {@code timeout} for each of its reads.
   *
   * @throws ConnectException when no connection could be opened
   * @throws IOException when the exchange failed: the connection broke, no answer in time, a malformed or
   *     oversized answer
   */
  public Answer exchange(String method, String target, List<String> headers, byte[] body, Duration timeout)
      throws IOException {
    if (closed) {
      throw new IOException("the link to " + authority + " is closed (its owner was closed)");
    }
    int timeoutMillis = millis(timeout);
    lastUsed = System.nanoTime();
    Connection c = pooled();
    if (c != null) {
      try {
        return exchange(c, method, target, headers, body, timeoutMillis);
      } catch (IOException e) {
        if (e instanceof SocketTimeoutException || c.reader.started()) {
          throw e;
        }
        // the server had closed the kept-alive connection: once more, on a new one
      }
    }
    return exchange(open(), method, target, headers, body, timeoutMillis);
  }

  private Answer exchange(Connection c, String method, String target, List<String> headers, byte[] body,
      int timeoutMillis) throws IOException {
    boolean reusable = false;
    try {
      c.write(method, target, authority, headers, body);
      c.timeout(timeoutMillis);
      Answer a = c.reader.read();
      reusable = a.reusable();
      return a;
    } finally {
      release(c, reusable);
    }
  }

  /** The most recently used idle connection that is not too old, or null. */
  private Connection pooled() {
    long now = System.nanoTime();
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      idleCount.decrementAndGet();
      if (now - c.idleSince < idleTimeoutNanos) {
        return c;
      }
      c.close();
    }
    return null;
  }

  private void release(Connection c, boolean reusable) {
    if (!reusable || closed) {
      c.close();
      return;
    }
    long now = System.nanoTime();
    c.idleSince = now;
    if (idleCount.incrementAndGet() > maxIdle) {
      idleCount.decrementAndGet();
      c.close();
    } else {
      idle.offerFirst(c);
    }
    Connection oldest = idle.peekLast(); // the least recently used: closed once too old, not left to the server
    if (oldest != null && now - oldest.idleSince >= idleTimeoutNanos && idle.removeLastOccurrence(oldest)) {
      idleCount.decrementAndGet();
      oldest.close();
    }
    if (closed) {
      drain();
    }
  }

  private Connection open() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true); // a request is one write: nothing to wait for
      s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      return new Connection(s, new Http1AnswerReader(s.getInputStream(), MAX_HEAD_BYTES, maxBodyBytes));
    } catch (IOException e) {
      s.close();
      String why = e instanceof SocketTimeoutException ? "no connection within " + connectTimeoutMillis + " ms"
          : e.toString();
      ConnectException c = new ConnectException("cannot connect to " + peer + " at " + authority + ": " + why);
      c.initCause(e);
      throw c;
    }
  }

  /** Closes the idle connections; a call in progress closes its own when it ends. */
  @Override
  public void close() {
    closed = true;
    drain();
  }

  private void drain() {
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      idleCount.decrementAndGet();
      c.close();
    }
  }

  /** Idle connections now. */
  public int idleConnections() {
    return idleCount.get();
  }

  /** Whether no call used it for {@code idle} (or more): a caller keeping links per server may let it go. */
  public boolean idleFor(Duration idle) {
    return System.nanoTime() - lastUsed >= idle.toNanos();
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** One kept-alive connection and its buffers. */
  private static final class Connection {
    final Socket socket;
    final OutputStream out;
    final Http1AnswerReader reader;
    byte[] request = new byte[512];
    int length;
    int soTimeout = -1;
    long idleSince;

    Connection(Socket socket, Http1AnswerReader reader) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.reader = reader;
    }

    /** Writes the request head and body in one write. */
    void write(String method, String target, String authority, List<String> headers, byte[] body)
        throws IOException {
      reader.expectAnswer();
      length = 0;
      ascii("method", method).ascii(null, " ").ascii("target", target).ascii(null, " HTTP/1.1\r\nHost: ")
          .ascii("host", authority).bytes(CRLF);
      for (int i = 0; i + 1 < headers.size(); i += 2) {
        String name = headers.get(i);
        ascii("header name", name).ascii(null, ": ").ascii(name, headers.get(i + 1)).bytes(CRLF);
      }
      if (body != null || !method.equals("GET")) {
        ascii(null, "Content-Length: ").ascii(null, Integer.toString(body == null ? 0 : body.length)).bytes(CRLF);
      }
      bytes(CRLF);
      if (body != null) {
        bytes(body);
      }
      out.write(request, 0, length);
    }

    void timeout(int millis) throws IOException {
      if (millis != soTimeout) {
        socket.setSoTimeout(millis);
        soTimeout = millis;
      }
    }

    /** Appends {@code s}, which must be visible ASCII (a CR or LF would end the line: header injection). */
    private Connection ascii(String what, String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (what != null && (ch < 0x20 && ch != '\t' || ch >= 0x7f)) {
          throw new IllegalArgumentException(what + ": a control or non-ASCII character at " + i
              + " (expected: visible ASCII)");
        }
        request[length + i] = (byte) ch;
      }
      length += s.length();
      return this;
    }

    private Connection bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, request, length, b.length);
      length += b.length;
      return this;
    }

    private void ensure(int more) {
      if (length + more > request.length) {
        request = Arrays.copyOf(request, Math.max(length + more, 2 * request.length));
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing left to do with it
      }
    }
  }
}
