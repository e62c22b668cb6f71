package io.tenantry.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many long-lived HTTP streams (Server-Sent Events, etcd's JSON watch stream) read by one selector
 * thread, so that thousands of watchers cost the driver little. Each stream's body (chunked or not)
 * is scanned for tokens that {@link TokenFormat} describes; the first arrival of token t on stream w
 * is stamped with {@link System#nanoTime()} right after the read that brought it.
 *
 * <p>Thread-safety: one thread calls {@link #open}, {@link #await} and the accessors; the selector
 * thread is internal.
 */
final class WatchStreams implements Closeable {
  /** How the token of change t is written in a stream: a marker then a fixed number of bytes. */
  interface TokenFormat {
    byte[] marker();

    int length();

    /** The change number held by {@code length()} bytes at {@code off}, or -1 if they are not one. */
    int decode(byte[] buf, int off);
  }

  private static final int MAX_CONNECTING = 200;

  private final InetSocketAddress address;
  private final byte[] request;
  private final byte[] readyMarker;
  private final TokenFormat format;
  private final int watchers;
  private final int tokens;
  private final long[][] arrivals;
  private final AtomicIntegerArray arrived;
  private final CountDownLatch ready;
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final List<Stream> streams = new ArrayList<>();
  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;
  /** Streams opened but not yet subscribed; selector thread only. */
  private int connecting;

  /**
   * @param request     the bytes that open one stream
   * @param readyMarker bytes whose arrival means the stream is subscribed, or null when a 2xx status is enough
   * @param tokens      how many changes will be made (tokens 0 to tokens - 1)
   */
  WatchStreams(InetSocketAddress address, byte[] request, byte[] readyMarker, TokenFormat format, int watchers,
      int tokens) throws IOException {
    this.address = address;
    this.request = request;
    this.readyMarker = readyMarker;
    this.format = format;
    this.watchers = watchers;
    this.tokens = tokens;
    this.arrivals = new long[tokens][watchers];
    this.arrived = new AtomicIntegerArray(tokens);
    this.ready = new CountDownLatch(watchers);
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "watch-streams");
    this.thread.setDaemon(true);
  }

  /** Opens every stream and waits until all are subscribed. */
  void open(Duration timeout) throws IOException, InterruptedException {
    thread.start();
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
      throw new IOException((watchers - ready.getCount()) + " of " + watchers + " watch streams subscribed within "
          + timeout + (failure.get() == null ? "" : "; first failure: " + failure.get()));
    }
  }

  /** Waits until every stream saw tokens 0 to {@code count - 1}, or the timeout passes; true if they all did. */
  boolean await(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int t = 0; t < count && all; t++) {
        all = arrived.get(t) >= watchers;
      }
      if (all) {
        return true;
      }
      Thread.sleep(5);
    }
    return false;
  }

  /** When each stream saw token {@code t} (nanoTime, 0 if it did not). Read after {@link #await}. */
  long[] arrivals(int t) {
    arrived.get(t); // a volatile read: the writes before the count's increment are visible
    return arrivals[t].clone();
  }

  int arrived(int t) {
    return arrived.get(t);
  }

  /** Streams the server closed. */
  int dropped() {
    return dropped.get();
  }

  private void loop() {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    Scratch scratch = new Scratch();
    int opened = 0;
    try {
      while (running) {
        while (opened < watchers && connecting < MAX_CONNECTING) {
          streams.add(connect(opened++));
        }
        selector.select(20);
        for (SelectionKey key : selector.selectedKeys()) {
          Stream s = (Stream) key.attachment();
          try {
            if (key.isConnectable()) {
              s.channel.finishConnect();
              s.channel.write(ByteBuffer.wrap(request));
              key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
              buffer.clear();
              int n = s.channel.read(buffer);
              long now = System.nanoTime();
              if (n < 0) {
                s.close(key, "stream closed by the server");
              } else {
                s.feed(buffer.array(), n, now, scratch);
              }
            }
          } catch (IOException e) {
            s.close(key, e.toString());
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | RuntimeException e) {
      failure.compareAndSet(null, e.toString());
      while (ready.getCount() > 0) {
        ready.countDown();
      }
    }
  }

  private Stream connect(int index) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    Stream s = new Stream(index, channel);
    connecting++;
    if (channel.connect(address)) {
      channel.write(ByteBuffer.wrap(request));
      channel.register(selector, SelectionKey.OP_READ, s);
    } else {
      channel.register(selector, SelectionKey.OP_CONNECT, s);
    }
    return s;
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Stream s : streams) {
      s.channel.close();
    }
    selector.close();
  }

  /** A reusable buffer of the selector thread: a stream's carried tail followed by the new bytes. */
  private static final class Scratch {
    byte[] bytes = new byte[80 * 1024];
  }

  /** One watcher's connection and its parsing state. */
  private final class Stream {
    private static final int SIZE = 0;
    private static final int DATA = 1;
    private static final int AFTER_DATA = 2;
    private static final int ENDED = 3;

    final int index;
    final SocketChannel channel;
    final byte[] head = new byte[16 * 1024];
    int headLength;
    boolean headersDone;
    boolean chunked;
    int chunkState = SIZE;
    long chunkSize;
    boolean chunkExtension;
    long chunkLeft;
    boolean ready;
    boolean closed;
    final byte[] carry;
    int carryLength;
    int lastToken = -1;

    Stream(int index, SocketChannel channel) {
      this.index = index;
      this.channel = channel;
      this.carry = new byte[Math.max(format.marker().length + format.length(),
          readyMarker == null ? 0 : readyMarker.length)];
    }

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
        chunked = headers.toLowerCase().contains("transfer-encoding: chunked");
        if (readyMarker == null) {
          markReady();
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
      if (scratch.bytes.length < total) {
        scratch.bytes = new byte[total * 2];
      }
      byte[] s = scratch.bytes;
      System.arraycopy(carry, 0, s, 0, carryLength);
      System.arraycopy(b, off, s, carryLength, len);
      if (!ready && find(s, total, readyMarker, 0) >= 0) {
        markReady();
      }
      byte[] marker = format.marker();
      int tokenEnd = marker.length + format.length();
      for (int p = find(s, total, marker, 0); p >= 0 && p + tokenEnd <= total; p = find(s, total, marker, p + 1)) {
        int t = format.decode(s, p + marker.length);
        if (t > lastToken && t < tokens) {
          arrivals[t][index] = now;
          arrived.incrementAndGet(t);
          lastToken = t;
        }
      }
      carryLength = Math.min(carry.length - 1, total);
      System.arraycopy(s, total - carryLength, carry, 0, carryLength);
    }

    private void markReady() {
      if (!ready) {
        ready = true;
        connecting--;
        ready().countDown();
      }
    }

    void close(SelectionKey key, String why) throws IOException {
      key.cancel();
      channel.close();
      if (!closed) {
        closed = true;
        dropped.incrementAndGet();
        if (!ready) {
          connecting--;
          failure.compareAndSet(null, why);
          ready().countDown();
        }
      }
    }
  }

  private CountDownLatch ready() {
    return ready;
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
