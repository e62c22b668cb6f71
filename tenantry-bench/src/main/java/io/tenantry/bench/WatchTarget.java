package io.tenantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A system that tells watchers of changes: how to open one watch on a topic, how to make change
 * number {@code seq} on it, and how that change's token reads in the stream. Immutable, thread-safe.
 */
interface WatchTarget {
  String system();

  InetSocketAddress address();

  void prepare() throws IOException, InterruptedException;

  byte[] watchRequest(String topic);

  /** Bytes that arrive once a watch is subscribed, or null when its 2xx response says so. */
  byte[] readyMarker();

  TokenFormat tokens(String topic);

  byte[] change(String topic, int seq);
}
