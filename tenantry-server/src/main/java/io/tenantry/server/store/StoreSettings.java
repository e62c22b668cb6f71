package io.tenantry.server.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the durable store lives. {@code schema} (optional) is created when missing and used for every
 * table, so that several stores can share one PostgreSQL database. Immutable.
 */
public record StoreSettings(String url, String user, String password, String schema, int maxPoolSize) {
  public StoreSettings {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("url: '" + url + "' (expected: jdbc:h2:… or jdbc:postgresql:…)");
    }
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    schema = schema == null || schema.isBlank() ? null : schema;
    if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema: '" + schema + "' (expected: [a-z_][a-z0-9_]*, up to 63 characters)");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize: " + maxPoolSize + " (expected: >= 1)");
    }
  }

  /** The embedded default: an H2 file database {@code tenantry} under {@code dataDir}. */
  public static StoreSettings h2File(Path dataDir) {
    return new StoreSettings(h2FileUrl(dataDir), "sa", "", null, 8);
  }

  /**
   * The JDBC URL of the embedded H2 file database under {@code dataDir}. {@code WRITE_DELAY=0}: a commit is written
   * to the file before it returns (H2's default writes it up to a second later, so a process killed just after a
   * commit lost it); H2 does not fsync, so it survives the process, not the machine.
   */
  public static String h2FileUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("tenantry")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  /**
   * Where the transaction journal of an embedded file database lives (beside its file, one per schema), or null:
   * an in-memory or remote database, or PostgreSQL, keeps the transaction log in its tables alone.
   */
  public Path transactionJournal() {
    if (!url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:mem:") || url.startsWith("jdbc:h2:tcp:")
        || url.startsWith("jdbc:h2:ssl:")) {
      return null;
    }
    String file = url.substring("jdbc:h2:".length()).replaceFirst("^file:", "").replaceFirst(";.*", "");
    return Path.of(file + ".txlog" + (schema == null ? "" : "-" + schema));
  }

  public boolean postgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** The password is never part of the text form. */
  @Override
  public String toString() {
    return "StoreSettings[url=" + url + ", user=" + user + ", schema=" + schema + ", maxPoolSize=" + maxPoolSize + "]";
  }
}
