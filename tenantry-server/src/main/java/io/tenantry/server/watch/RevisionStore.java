package io.tenantry.server.watch;

/**
 * Durable high-water mark of revisions, so that revisions keep increasing across restarts without a
 * disk write per change: the feed reserves blocks (hi/lo) and persists only the end of each block.
 */
public interface RevisionStore {
  /**
   * Reserves {@code size} revisions and returns the first of them. Every later call, in this process
   * or after a restart, returns a value greater than any revision of an earlier block.
   */
  long reserve(long size);
}
