package io.tenantry.demo.store;

import java.util.ArrayList;
import java.util.List;

/** The books' contract on the real PostgreSQL: a database of its own per service and test, dropped after. */
class PostgresBooksIT extends BooksContract {
  private final List<String> created = new ArrayList<>();

  @Override
  DatabaseSettings fresh(String service) {
    String name = TestPostgres.create("demo_books_" + service);
    created.add(name);
    return TestPostgres.settings(name, 4);
  }

  @Override
  void cleanUp() {
    created.forEach(TestPostgres::drop);
  }
}
