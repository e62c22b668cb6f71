package io.tenantry.server.watch;

/**
 * Where a watch delivers its frames: a bounded, non-blocking queue in front of a connection. The feed
 * calls these methods under a namespace's ordering lock, so they must only enqueue and never block
 * or write to the network themselves. Implementations are thread-safe.
 */
public interface WatchSink {
  /**
   * Queues one serialized frame. Returns false if the queue is full: the feed then closes the sink
   * with a final error frame (slow consumer).
   */
  boolean offer(byte[] frame);

  /** Queues frames without the capacity check (the backlog of a resumed watch, which is finite). */
  void offerAll(java.util.List<byte[]> frames);

  /**
   * Ends the stream: drops what is still queued, sends {@code finalFrame} if not null, then closes.
   * Idempotent.
   */
  void close(byte[] finalFrame);

  /** Runs {@code action} once when the stream ends for any reason (client gone, close, error). */
  void onClose(Runnable action);
}
