package io.tenantry.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded H2 file database, the default store. */
class H2StoreTest extends StoreContract {
  @TempDir
  Path dataDir;

  @Override
  Store openFresh() {
    return JdbcStore.open(StoreSettings.h2File(dataDir));
  }

  @Override
  Store reopen() {
    return openFresh();
  }
}
