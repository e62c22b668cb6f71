package io.tenantry.server.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The transaction store contract on the embedded H2 file database. */
class H2TxStoreTest extends TxStoreContract {
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
