package io.tenantry.demo.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one demo service keeps its data: a JDBC URL (H2 or PostgreSQL), its user and password, and the
 * most connections each instance's pool may hold. H2 URLs get the PostgreSQL compatibility settings the
 * demo's SQL relies on ({@code ON CONFLICT DO NOTHING}, lower-case names), so one set of statements serves
 * both. Immutable; the password never shows in {@link #toString()}.
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
  /** What an H2 URL needs for the demo's SQL, as the control plane's own H2 store uses. */
  static final String H2_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
  public static final int DEFAULT_POOL_SIZE = 8;

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("db-url: '" + url + "' (expected: jdbc:h2:… or jdbc:postgresql:…)");
    }
    if (h2(url) && !url.toUpperCase(java.util.Locale.ROOT).contains(";MODE=")) {
      url = url + H2_MODE;
    }
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    if (maxPoolSize < 1 || maxPoolSize > 100) {
      throw new IllegalArgumentException("db-pool-size: " + maxPoolSize + " (expected: 1..100)");
    }
  }

  /**
   * An H2 file database {@code <dir>/<name>} that several processes may open at once (the first serves
   * the others: H2's AUTO_SERVER): for a service instance started alone. The launcher serves its
   * services' files from one H2 TCP server instead (see {@code DemoDatabases}).
   */
  public static DatabaseSettings h2File(Path dir, String name) {
    return new DatabaseSettings("jdbc:h2:file:" + dir.toAbsolutePath().resolve(name) + ";AUTO_SERVER=TRUE", "sa", "",
        DEFAULT_POOL_SIZE);
  }

  /** The same settings with another pool size. */
  public DatabaseSettings withPoolSize(int size) {
    return new DatabaseSettings(url, user, password, size);
  }

  public boolean postgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  private static boolean h2(String url) {
    return url.startsWith("jdbc:h2:");
  }

  @Override
  public String toString() {
    return "DatabaseSettings[url=" + url.replaceAll(";.*", "").replaceAll("password=[^&]*", "password=***")
        + ", user=" + user + ", maxPoolSize=" + maxPoolSize + "]";
  }
}
