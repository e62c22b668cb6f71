package io.tenantry.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
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
 * thread, so that thousands of watchers cost the driver little. Each stream is parsed by a
 * {@link StreamParser}; the first arrival of token t on stream w is stamped with
 * {@link System#nanoTime()} taken right after the read that brought it.
 *
 * <p>Thread-safety: one thread calls {@link #open}, {@link #await} and the accessors; the selector
 * thread is internal.
 */
final class WatchStreams implements Closeable {
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
    StreamParser.Scratch scratch = new StreamParser.Scratch();
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
                s.parser.feed(buffer.array(), n, now, scratch);
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

  /** One watcher's connection. */
  private final class Stream implements StreamParser.Listener {
    final int index;
    final SocketChannel channel;
    final StreamParser parser;
    boolean closed;

    Stream(int index, SocketChannel channel) {
      this.index = index;
      this.channel = channel;
      this.parser = new StreamParser(format, readyMarker, tokens, this);
    }

    @Override
    public void subscribed() {
      connecting--;
      ready.countDown();
    }

    @Override
    public void token(int t, long now) {
      arrivals[t][index] = now;
      arrived.incrementAndGet(t);
    }

    void close(SelectionKey key, String why) throws IOException {
      key.cancel();
      channel.close();
      if (!closed) {
        closed = true;
        dropped.incrementAndGet();
        if (!parser.subscribed()) {
          connecting--;
          failure.compareAndSet(null, why);
          ready.countDown();
        }
      }
    }
  }
}
