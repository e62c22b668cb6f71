package io.tenantry.demo.store;

import java.util.UUID;

/** The books' contract on H2 (in memory, in PostgreSQL mode as every demo H2 URL). */
class H2BooksTest extends BooksContract {
  @Override
  DatabaseSettings fresh(String service) {
    // gone when the pool closes its last connection
    return new DatabaseSettings("jdbc:h2:mem:" + service + "-" + UUID.randomUUID(), "sa", "", 4);
  }

  @Override
  void cleanUp() {
    // nothing left: an in-memory database ends with its last connection
  }
}
