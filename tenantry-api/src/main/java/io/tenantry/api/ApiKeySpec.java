package io.tenantry.api;

/** A request for a new namespace-scoped API key. */
public record ApiKeySpec(String name, Role role) {
  public ApiKeySpec {
    Names.name("name", name);
    role = role == null ? Role.SERVICE : role;
    if (role == Role.PLATFORM_ADMIN) {
      throw new ValidationException("role", "platform-admin (expected: a namespace role; platform keys come from configuration)");
    }
  }
}
