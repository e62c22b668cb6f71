package io.tenantry.api;

import java.time.Instant;

/** An isolation boundary of the control plane. {@code revision} is the namespace revision of its last change. */
public record Namespace(String name, String description, Instant createdAt, long revision) {
  public Namespace {
    Names.name("name", name);
    description = Names.text("description", description, Names.MAX_DESCRIPTION);
  }
}
