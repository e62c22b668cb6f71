package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The transaction store contract on the real PostgreSQL at 127.0.0.1:5432, in a schema of its own per test. */
class PostgresTxStoreIT extends TxStoreContract {
  private String schema;

  @Override
  Store openFresh() {
    schema = "tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return reopen();
  }

  @Override
  Store reopen() {
    return JdbcStore.open(new StoreSettings(PostgresStoreIT.URL, "postgres", "", schema, 6));
  }

  @Override
  void cleanUp() {
    PostgresStoreIT.dropSchema(schema);
  }

  @Test
  void lead_isHeldByOneNodeOfASchemaAtATime_independentlyOfTheAlerts() {
    Store second = reopen();
    try {
      assertThat(store.transactions().lead()).isTrue();
      assertThat(second.transactions().lead()).isFalse();
      assertThat(second.alerts().lead()).as("another job's lock").isTrue();

      store.close();

      assertThat(second.transactions().lead()).isTrue();
    } finally {
      store = second;
    }
  }
}
