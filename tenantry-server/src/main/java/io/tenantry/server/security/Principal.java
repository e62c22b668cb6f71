package io.tenantry.server.security;

import io.tenantry.api.Role;
import io.tenantry.server.http.ApiException;
import java.util.Objects;

/**
 * Who is calling: an authenticated credential, its role and, for every role but platform-admin, the
 * one namespace it is bound to. Immutable; the HTTP layer attaches it to every authenticated request.
 */
public record Principal(String keyId, Role role, String namespace) {
  public Principal {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(role, "role");
    if (role != Role.PLATFORM_ADMIN) {
      Objects.requireNonNull(namespace, "namespace");
    }
  }

  public boolean platformAdmin() {
    return role == Role.PLATFORM_ADMIN;
  }

  /** True if this principal may do {@code action} in namespace {@code ns}. */
  public boolean may(Action action, String ns) {
    if (platformAdmin()) {
      return true;
    }
    if (action == Action.PLATFORM || !namespace.equals(ns)) {
      return false;
    }
    return switch (role) {
      case NAMESPACE_ADMIN -> true;
      case OPERATOR -> action != Action.ADMIN;
      case SERVICE -> action == Action.READ || action == Action.REGISTER || action == Action.INGEST || action == Action.TRANSACT;
      case VIEWER -> action == Action.READ;
      case INGEST -> action == Action.INGEST;
      case PLATFORM_ADMIN -> true;
    };
  }

  /**
   * Throws unless this principal may do {@code action} in {@code ns}. Another namespace answers 404,
   * not 403, so a key cannot even learn which namespaces exist.
   */
  public void require(Action action, String ns) {
    if (may(action, ns)) {
      return;
    }
    if (!platformAdmin() && ns != null && !namespace.equals(ns)) {
      throw ApiException.notFound("namespace '" + ns + "'");
    }
    throw ApiException.forbidden("role " + role.wire() + " may not " + action.name().toLowerCase() + " in namespace '" + ns + "'");
  }
}
