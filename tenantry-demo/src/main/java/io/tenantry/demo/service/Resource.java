package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;

/** The routes of one demo service, and how it applies a write replicated from a peer. */
interface Resource {
  void routes(Router router);

  /** Stores a record a peer wrote for {@code tenant}; a kind it does not keep is a 400. */
  void apply(String tenant, Replicator.Write write) throws JsonProcessingException;
}
