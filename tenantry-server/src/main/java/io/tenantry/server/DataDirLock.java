package io.tenantry.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a data directory, held while a server runs: a second server on the same
 * directory, in this JVM or another, refuses to start instead of sharing the embedded database with
 * diverging in-memory state. The OS releases it if the process dies.
 */
final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve("tenantry.lock");
    try {
      Files.createDirectories(dataDir);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("data.dir: " + dataDir.toAbsolutePath()
            + " is in use by another Tenantry server (expected: a data directory of its own; stop the other server or set --data-dir)");
      }
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      throw new IllegalStateException("data.dir: cannot lock " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
