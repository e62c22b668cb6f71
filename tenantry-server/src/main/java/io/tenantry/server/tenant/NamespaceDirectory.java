package io.tenantry.server.tenant;

/** Tells other areas whether a namespace exists, without handing them the tenant store. */
@FunctionalInterface
public interface NamespaceDirectory {
  boolean exists(String namespace);
}
