package io.tenantry.server.watch;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A Server-Sent-Events response written with Servlet non-blocking I/O: frames wait in a bounded
 * queue and are written only while the connection can take them ({@link ServletOutputStream#isReady()}),
 * so a waiting stream holds no thread and a slow client never blocks the feed. Writes run on the
 * feed's flusher pool or on the container's thread that reports the connection writable again.
 *
 * <p>Thread-safe: the queue and state are guarded by this object's monitor; close actions and the
 * completion future run outside it (they take the namespace lock, which callers of {@link #offer}
 * already hold).
 */
public final class SseStream implements WatchSink, WriteListener {
  private final ServletOutputStream out;
  private final int capacity;
  private final Executor flusher;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final List<Runnable> closeActions = new ArrayList<>();
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private boolean scheduled;
  private boolean needsFlush;
  private boolean closing;
  private boolean done;
  private boolean finished;

  SseStream(HttpServletResponse res, AsyncContext async, int capacity, Executor flusher) throws IOException {
    this.capacity = capacity;
    this.flusher = flusher;
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setCharacterEncoding("UTF-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
    async.setTimeout(0);
    async.addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        abort();
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        abort();
      }

      @Override
      public void onError(AsyncEvent event) {
        abort();
      }

      @Override
      public void onStartAsync(AsyncEvent event) {}
    });
    this.out = res.getOutputStream();
    out.setWriteListener(this);
  }

  /** Completes (with null) when the stream has ended; hand it to the web framework as the response future. */
  public CompletableFuture<Void> completion() {
    return completion;
  }

  @Override
  public synchronized boolean offer(byte[] frame) {
    if (done || closing) {
      return true;
    }
    if (queue.size() >= capacity) {
      return false;
    }
    queue.add(frame);
    schedule();
    return true;
  }

  @Override
  public synchronized void offerAll(List<byte[]> frames) {
    if (done || closing) {
      return;
    }
    queue.addAll(frames);
    schedule();
  }

  @Override
  public void close(byte[] finalFrame) {
    synchronized (this) {
      if (done || closing) {
        return;
      }
      closing = true;
      queue.clear();
      if (finalFrame != null) {
        queue.add(finalFrame);
      }
      schedule();
    }
  }

  @Override
  public void onClose(Runnable action) {
    boolean runNow;
    synchronized (this) {
      runNow = finished;
      if (!runNow) {
        closeActions.add(action);
      }
    }
    if (runNow) {
      action.run();
    }
  }

  /** Called by the container when the connection can take more bytes (also once after registration). */
  @Override
  public void onWritePossible() {
    drain();
  }

  @Override
  public void onError(Throwable t) {
    abort();
  }

  private void schedule() {
    if (scheduled) {
      return;
    }
    scheduled = true;
    try {
      flusher.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The feed has shut down: end the stream, but outside this monitor.
      done = true;
      queue.clear();
      CompletableFuture.runAsync(this::ended);
    }
  }

  private void drain() {
    boolean ended;
    synchronized (this) {
      scheduled = false;
      ended = !done && drainLocked();
    }
    if (ended) {
      ended();
    }
  }

  /** Writes while the connection is ready; returns true if the stream just ended. */
  private boolean drainLocked() {
    try {
      while (out.isReady()) {
        byte[] frame = queue.poll();
        if (frame != null) {
          out.write(frame);
          needsFlush = true;
        } else if (needsFlush) {
          needsFlush = false;
          out.flush();
        } else {
          if (closing) {
            done = true;
            return true;
          }
          return false;
        }
      }
      return false; // the container calls onWritePossible() when it can take more
    } catch (IOException | IllegalStateException e) {
      done = true;
      queue.clear();
      return true;
    }
  }

  /** The connection went away or the request ended: stop without writing. */
  private void abort() {
    synchronized (this) {
      done = true;
      queue.clear();
    }
    ended();
  }

  /** Runs the close actions and completes the response future, once. */
  private void ended() {
    List<Runnable> actions;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      actions = new ArrayList<>(closeActions);
      closeActions.clear();
    }
    actions.forEach(Runnable::run);
    completion.complete(null);
  }
}
