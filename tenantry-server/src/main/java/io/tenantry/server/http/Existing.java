package io.tenantry.server.http;

import io.tenantry.server.tenant.NamespaceDirectory;

/** Answers 404 for a namespace that does not exist, before a body is read and judged. */
final class Existing {
  private Existing() {}

  static String namespace(NamespaceDirectory directory, String namespace) {
    if (!directory.exists(namespace)) {
      throw ApiException.notFound("namespace '" + namespace + "'");
    }
    return namespace;
  }
}
