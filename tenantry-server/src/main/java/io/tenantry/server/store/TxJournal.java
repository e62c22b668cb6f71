package io.tenantry.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only journal of records in segment files {@code <firstSeq>.log} of one directory, each record
 * {@code [length][crc32c][seq][payload]}. {@link #enqueue} numbers a record in call order; {@link #flush} writes
 * every record enqueued so far with one {@code write} (group commit: while one caller writes, the others' records
 * gather for the next write), so a record is in the operating system's page cache, and survives a crash of the
 * process, once its flush returns. A record torn by a crash mid-write (a short or corrupt tail) ends the journal
 * when it is read back and is cut off. Segments whose records the caller has put somewhere durable are deleted
 * ({@link #release}). Thread-safe.
 */
final class TxJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TxJournal.class);
  private static final int HEADER = 4 + 4 + 8;
  /** A record longer than this is not one we wrote: the journal ends there. */
  static final int MAX_RECORD = 1 << 20;
  /** A new segment begins once the current one is this long, so that released records can be deleted. */
  static final long SEGMENT_BYTES = 64L << 20;

  private final Path dir;
  private final long segmentLimit;
  private final Object flushLock = new Object();
  /** Records numbered but not written yet; guarded by {@code this}. */
  private ByteBuffer pending = ByteBuffer.allocate(64 << 10);
  /** The buffer the next flush hands to {@link #pending}; guarded by {@link #flushLock}. */
  private ByteBuffer spare = ByteBuffer.allocate(64 << 10);
  private long lastSeq;
  /** The last record written; guarded by {@link #flushLock}. */
  private volatile long flushedSeq;
  /** Set when a write failed: every later flush fails with it; guarded by {@link #flushLock}. */
  private StoreException failure;
  private FileChannel segment;
  private long segmentFirstSeq;
  private long segmentBytes;
  /** The first record of the oldest segment not deleted (only the releasing thread reads it). */
  private volatile long oldestFirstSeq;

  private TxJournal(Path dir, long lastSeq, Path tail, long tailFirstSeq, long oldestFirstSeq, long segmentLimit)
      throws IOException {
    this.dir = dir;
    this.segmentLimit = segmentLimit;
    this.lastSeq = lastSeq;
    this.flushedSeq = lastSeq;
    if (tail == null) {
      openSegment(lastSeq + 1);
    } else {
      segment = FileChannel.open(tail, StandardOpenOption.WRITE);
      segmentBytes = segment.size();
      segment.position(segmentBytes);
      segmentFirstSeq = tailFirstSeq;
    }
    this.oldestFirstSeq = oldestFirstSeq;
  }

  /**
   * Opens the journal in {@code dir} (created if missing), handing every intact record numbered after
   * {@code after} to {@code replay} in order, and cutting off a torn tail. New records are numbered after the
   * last intact one, and after {@code after} (what the caller holds already).
   */
  static TxJournal open(Path dir, long after, BiConsumer<Long, byte[]> replay) {
    return open(dir, after, replay, SEGMENT_BYTES);
  }

  /** As {@link #open(Path, long, BiConsumer)}, beginning a new segment once one is {@code segmentLimit} bytes long. */
  static TxJournal open(Path dir, long after, BiConsumer<Long, byte[]> replay, long segmentLimit) {
    try {
      Files.createDirectories(dir);
      List<Path> segments = segments(dir);
      long last = after;
      Path tail = null;
      long tailFirst = 0;
      for (int i = 0; i < segments.size(); i++) {
        Path s = segments.get(i);
        long end = read(s, after, replay);
        last = Math.max(last, end == Long.MIN_VALUE ? last : end);
        tail = s;
        tailFirst = firstSeq(s);
      }
      return new TxJournal(dir, last, tail, tailFirst, segments.isEmpty() ? last + 1 : firstSeq(segments.get(0)),
          segmentLimit);
    } catch (IOException e) {
      throw new UncheckedIOException("transaction journal " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Numbers {@code payload} and queues it for the next {@link #flush}; returns its number. */
  synchronized long enqueue(byte[] payload) {
    if (payload.length > MAX_RECORD) {
      throw new IllegalArgumentException("journal record of " + payload.length + " bytes (at most " + MAX_RECORD + ")");
    }
    if (pending.remaining() < HEADER + payload.length) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + HEADER + payload.length));
      pending.flip();
      bigger.put(pending);
      pending = bigger;
    }
    CRC32C crc = new CRC32C();
    long seq = ++lastSeq;
    crc.update(longBytes(seq));
    crc.update(payload);
    pending.putInt(payload.length).putInt((int) crc.getValue()).putLong(seq).put(payload);
    return seq;
  }

  /** Returns once every record up to {@code seq} is written. */
  void flush(long seq) {
    if (flushedSeq >= seq) {
      return;
    }
    synchronized (flushLock) {
      if (flushedSeq >= seq) {
        return; // another caller's write took this record along
      }
      if (failure != null) {
        throw failure;
      }
      ByteBuffer batch;
      long upTo;
      synchronized (this) {
        batch = pending;
        upTo = lastSeq;
        pending = spare; // two buffers take turns: no allocation per write
      }
      batch.flip();
      try {
        if (segmentBytes >= segmentLimit) {
          segment.close();
          openSegment(flushedSeq + 1);
        }
        while (batch.hasRemaining()) {
          segmentBytes += segment.write(batch);
        }
      } catch (IOException e) {
        // what was not written is lost for every caller waiting for it, and the file may end torn: no more writes
        failure = new StoreException("transaction journal: cannot write " + dir + " (restart the control plane once"
            + " the disk is writable again; records answered before are kept): " + e.getMessage(), e);
        throw failure;
      }
      flushedSeq = upTo;
      spare = batch.clear();
    }
  }

  /** The last record numbered (written or not). */
  synchronized long lastSeq() {
    return lastSeq;
  }

  /** Deletes the segments all of whose records are at or before {@code seq} (the current segment stays). */
  void release(long seq) {
    long current;
    synchronized (flushLock) {
      current = segmentFirstSeq;
    }
    if (current == oldestFirstSeq) {
      return; // one segment: nothing to delete, no need to list the directory
    }
    try {
      List<Path> all = segments(dir);
      for (int i = 0; i + 1 < all.size(); i++) {
        long nextFirst = firstSeq(all.get(i + 1));
        if (nextFirst - 1 <= seq && firstSeq(all.get(i)) < current) {
          Files.deleteIfExists(all.get(i));
        } else {
          oldestFirstSeq = firstSeq(all.get(i));
          return;
        }
      }
      oldestFirstSeq = current;
    } catch (IOException e) {
      LOG.warn("transaction journal: cannot delete released segments of {}: {}", dir, e.getMessage());
    }
  }

  private void openSegment(long firstSeq) throws IOException {
    Path p = dir.resolve(String.format("%020d.log", firstSeq));
    segment = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    segmentFirstSeq = firstSeq;
    segmentBytes = 0;
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.log")).sorted().toList());
    }
  }

  private static long firstSeq(Path segment) {
    return Long.parseLong(segment.getFileName().toString().substring(0, 20));
  }

  /**
   * Hands the intact records of {@code segment} numbered after {@code after} to {@code replay}; cuts the segment
   * at its first torn record. Returns the last record's number (Long.MIN_VALUE if none).
   */
  private static long read(Path segment, long after, BiConsumer<Long, byte[]> replay) throws IOException {
    long last = Long.MIN_VALUE;
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      long at = 0;
      long size = ch.size();
      while (true) {
        header.clear();
        if (size - at < HEADER || ch.read(header, at) < HEADER) {
          break;
        }
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        long seq = header.getLong();
        if (length < 0 || length > MAX_RECORD || size - at - HEADER < length) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        ch.read(body, at + HEADER);
        CRC32C check = new CRC32C();
        check.update(longBytes(seq));
        check.update(body.array());
        if ((int) check.getValue() != crc) {
          break;
        }
        if (seq > after) {
          replay.accept(seq, body.array());
        }
        last = seq;
        at += HEADER + length;
      }
      if (at < size) {
        LOG.warn("transaction journal: {} ends in {} bytes of a record torn by a crash; cut off (it was never answered)",
            segment, size - at);
        ch.truncate(at);
      }
    }
    return last;
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  @Override
  public void close() {
    synchronized (flushLock) {
      try {
        segment.close();
      } catch (IOException e) {
        LOG.warn("transaction journal: closing {}: {}", dir, e.getMessage());
      }
    }
  }
}
