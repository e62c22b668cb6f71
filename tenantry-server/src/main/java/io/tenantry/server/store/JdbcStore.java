package io.tenantry.server.store;

import com.zaxxer.hikari.HikariConfig;
import io.tenantry.api.Namespace;
import com.zaxxer.hikari.HikariDataSource;
import io.tenantry.server.watch.RevisionStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one JDBC implementation of {@link Store}, for H2 and PostgreSQL: a HikariCP pool and the
 * Flyway migrations in {@code db/migration}, applied by {@link #open}. Thread-safe.
 */
public final class JdbcStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  private final HikariDataSource dataSource;
  private final NamespaceStore namespaces;
  private final TenantStore tenants;
  private final ApiKeyStore apiKeys;
  private final RevisionStore revisions;
  private final PolicyStore policies;
  private final AlertStore alerts;
  private final AdvisoryLock alertLeader;
  private final SpanStore spans;
  private final AdvisoryLock txLeader;
  private final TxStore transactions;
  /** The transaction log in front of the tables of an embedded file database, else null. */
  private final JournaledTxStore journaled;
  private final SigningKeyStore signingKeys;

  private JdbcStore(HikariDataSource dataSource, StoreSettings settings) {
    boolean postgres = settings.postgres();
    this.dataSource = dataSource;
    Jdbc jdbc = new Jdbc(dataSource);
    NamespaceStore namespaceTable = new JdbcNamespaceStore(jdbc);
    this.tenants = new JdbcTenantStore(jdbc);
    this.apiKeys = new JdbcApiKeyStore(jdbc);
    this.revisions = new JdbcRevisionStore(jdbc);
    this.policies = new JdbcPolicyStore(jdbc);
    this.alertLeader = new AdvisoryLock(dataSource, postgres, "alerts");
    this.alerts = new JdbcAlertStore(jdbc, alertLeader);
    this.spans = new JdbcSpanStore(jdbc);
    this.txLeader = new AdvisoryLock(dataSource, postgres, "transactions");
    JdbcTxStore txTables = new JdbcTxStore(jdbc, txLeader, postgres);
    Path journal = settings.transactionJournal();
    if (journal == null) {
      this.journaled = null;
      this.transactions = txTables;
      this.namespaces = namespaceTable;
    } else {
      this.journaled = new JournaledTxStore(txTables, journal, name -> namespaceTable.get(name).isPresent());
      this.transactions = journaled;
      this.namespaces = new ForgettingNamespaces(namespaceTable, journaled);
    }
    this.signingKeys = new JdbcSigningKeyStore(jdbc);
  }

  /** Connects, migrates the schema to the latest version and returns the open store. */
  public static JdbcStore open(StoreSettings settings) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("tenantry-store");
    hc.setJdbcUrl(settings.url());
    hc.setUsername(settings.user());
    hc.setPassword(settings.password());
    hc.setMaximumPoolSize(settings.maxPoolSize());
    hc.setMinimumIdle(1);
    if (settings.schema() != null) {
      hc.setConnectionInitSql(settings.postgres()
          ? "CREATE SCHEMA IF NOT EXISTS " + settings.schema() + "; SET search_path TO " + settings.schema()
          : "CREATE SCHEMA IF NOT EXISTS " + settings.schema() + "; SET SCHEMA " + settings.schema());
    }
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException("store: cannot connect to " + settings.url() + ": " + rootMessage(e), e);
    }
    try {
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .schemas(settings.schema() == null ? new String[0] : new String[] {settings.schema()})
          .load()
          .migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw new StoreException("store: migration of " + settings.url() + " failed: " + rootMessage(e), e);
    }
    LOG.info("store ready at {}{}", settings.url().replaceAll(";.*", ""),
        settings.schema() == null ? "" : " (schema " + settings.schema() + ")");
    try {
      return new JdbcStore(ds, settings);
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  @Override
  public NamespaceStore namespaces() {
    return namespaces;
  }

  @Override
  public TenantStore tenants() {
    return tenants;
  }

  @Override
  public ApiKeyStore apiKeys() {
    return apiKeys;
  }

  @Override
  public PolicyStore policies() {
    return policies;
  }

  @Override
  public AlertStore alerts() {
    return alerts;
  }

  @Override
  public RevisionStore revisions() {
    return revisions;
  }

  @Override
  public SpanStore spans() {
    return spans;
  }

  @Override
  public TxStore transactions() {
    return transactions;
  }

  @Override
  public SigningKeyStore signingKeys() {
    return signingKeys;
  }

  @Override
  public boolean healthy() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (journaled != null) {
      journaled.close();
    }
    alertLeader.close();
    txLeader.close();
    dataSource.close();
  }

  /** Namespaces whose deletion the journaled transaction log hears of (it took their transactions' rows along). */
  private record ForgettingNamespaces(NamespaceStore table, JournaledTxStore transactions) implements NamespaceStore {
    @Override
    public boolean insert(Namespace namespace) {
      return table.insert(namespace);
    }

    @Override
    public boolean update(Namespace namespace) {
      return table.update(namespace);
    }

    @Override
    public boolean delete(String name) {
      boolean deleted = table.delete(name);
      transactions.forgetNamespace(name);
      return deleted;
    }

    @Override
    public Optional<Namespace> get(String name) {
      return table.get(name);
    }

    @Override
    public List<Namespace> list() {
      return table.list();
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
