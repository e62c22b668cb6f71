package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The routes of one demo service, and how it applies a write replicated from a peer: only the user
 * service keeps its records in memory and copies them to its peers; order and payment share a database
 * and refuse replicated writes.
 */
interface Resource {
  void routes(Router router);

  /** Stores a record a peer wrote for {@code tenant}; a kind it does not keep is a 400. */
  default void apply(String tenant, Replicator.Write write) throws JsonProcessingException {
    throw HttpProblem.badRequest("kind", "'" + write.kind() + "' (expected: nothing: this service keeps its records "
        + "in its database)");
  }
}
