package io.tenantry.server.watch;

import java.util.Objects;

/**
 * The global revision counter, hi/lo style: reserves blocks of revisions from a {@link RevisionStore}
 * so that revisions keep growing across restarts with one durable write per block instead of one per
 * change. Thread-safe (synchronized: allocation is a few instructions).
 */
final class RevisionBlocks {
  static final long BLOCK = 1000;

  private final RevisionStore store;
  private final long blockSize;
  /** Last revision handed out; the start of the first block minus one before any change. */
  private long current;
  /** Last revision of the reserved block. */
  private long limit;

  RevisionBlocks(RevisionStore store, long blockSize) {
    this.store = Objects.requireNonNull(store, "store");
    if (blockSize < 1) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: >= 1)");
    }
    this.blockSize = blockSize;
    reserve();
  }

  synchronized long next() {
    if (current == limit) {
      reserve();
    }
    return ++current;
  }

  synchronized long current() {
    return current;
  }

  private void reserve() {
    long first = store.reserve(blockSize);
    if (first <= current) {
      throw new IllegalStateException("revision store went backwards: " + first + " (expected: > " + current + ")");
    }
    current = first - 1;
    limit = first + blockSize - 1;
  }
}
