package io.tenantry.server.registry;

import io.tenantry.api.Names;

/** Names one registered instance: its service and id. Immutable; validated on construction. */
public record InstanceRef(String service, String id) {
  public InstanceRef {
    Names.name("service", service);
    Names.id("id", id);
  }
}
