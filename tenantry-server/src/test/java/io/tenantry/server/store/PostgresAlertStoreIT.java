package io.tenantry.server.store;

import java.util.UUID;

/** The alert store contract on the real PostgreSQL at 127.0.0.1:5432, in a schema of its own per test. */
class PostgresAlertStoreIT extends AlertStoreContract {
  private String schema;

  @Override
  Store openFresh() {
    schema = "alerts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return reopen();
  }

  @Override
  Store reopen() {
    return JdbcStore.open(new StoreSettings(PostgresStoreIT.URL, "postgres", "", schema, 4));
  }

  @Override
  void cleanUp() {
    PostgresStoreIT.dropSchema(schema);
  }
}
