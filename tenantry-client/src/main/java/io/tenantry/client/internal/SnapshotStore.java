package io.tenantry.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk snapshot of one namespace, {@code <dir>/<namespace>.json}. Writes go to a temporary file
 * in the same directory and replace the snapshot with an atomic rename, so a reader (or a crash) never
 * sees half a file. A missing, unreadable or corrupt file reads as empty (logged): the client then
 * starts as if it had none. Thread-safety: writes synchronize; reads are independent.
 */
public final class SnapshotStore {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);
  /** A snapshot larger than this is not read: it cannot be ours. */
  static final long MAX_BYTES = 64L << 20;

  private final Path file;
  private final String namespace;
  private final ObjectMapper mapper;

  public SnapshotStore(Path directory, String namespace, ObjectMapper mapper) {
    this.file = directory.resolve(namespace + ".json");
    this.namespace = namespace;
    this.mapper = mapper;
  }

  public Path file() {
    return file;
  }

  public Optional<Snapshot> read() {
    try {
      if (Files.size(file) > MAX_BYTES) {
        LOG.warn("snapshot {} is larger than {} bytes; ignoring it", file, MAX_BYTES);
        return Optional.empty();
      }
      Snapshot s;
      try (InputStream in = Files.newInputStream(file)) {
        s = mapper.readValue(in, Snapshot.class);
      }
      if (s == null || s.format() != Snapshot.FORMAT || !namespace.equals(s.namespace())) {
        LOG.warn("snapshot {} has another format or namespace; ignoring it", file);
        return Optional.empty();
      }
      return Optional.of(s);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      LOG.warn("snapshot {} is unreadable or corrupt; starting without it: {}", file, e.toString());
      return Optional.empty();
    }
  }

  public synchronized void write(Snapshot snapshot) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), namespace + ".", ".tmp");
    try {
      mapper.writeValue(tmp.toFile(), snapshot);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
