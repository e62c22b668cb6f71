package io.tenantry.demo.service;

import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.Refusal;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs work on a service's books in one local transaction, its failures as the problems a caller gets. */
final class Books {
  private static final Logger log = LoggerFactory.getLogger(Books.class);

  private Books() {}

  /** A business refusal is a 409 with its type; a database failure a 503 (retry). */
  static <T> T run(Database db, Database.Work<T> work) {
    try {
      return db.inTransaction(work);
    } catch (Refusal r) {
      throw HttpProblem.refused(r);
    } catch (SQLException e) {
      log.warn("books: {}", e.toString());
      throw HttpProblem.database(e);
    }
  }
}
