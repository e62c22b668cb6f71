package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

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

  @Test
  void lead_isHeldByOneNodeOfASchemaAtATime_andPassesOnWhenItCloses() {
    Store second = reopen();
    Store otherSchema = JdbcStore.open(new StoreSettings(PostgresStoreIT.URL, "postgres", "", schema + "_b", 2));
    try {
      assertThat(store.alerts().lead()).isTrue();
      assertThat(store.alerts().lead()).as("kept").isTrue();
      assertThat(second.alerts().lead()).isFalse();
      assertThat(otherSchema.alerts().lead()).as("another schema is another control plane").isTrue();

      store.close();

      assertThat(second.alerts().lead()).isTrue();
    } finally {
      store = second; // closed after the test
      otherSchema.close();
      PostgresStoreIT.dropSchema(schema + "_b");
    }
  }
}
