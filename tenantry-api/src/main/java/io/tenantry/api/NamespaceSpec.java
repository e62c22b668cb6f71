package io.tenantry.api;

/** The writable part of a namespace: what a create or update request carries. */
public record NamespaceSpec(String name, String description) {
  public NamespaceSpec {
    Names.name("name", name);
    description = Names.text("description", description, Names.MAX_DESCRIPTION);
  }
}
