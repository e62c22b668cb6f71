package io.tenantry.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.tenantry.api.Role;
import io.tenantry.server.security.ApiKeyService;
import io.tenantry.server.security.Principal;

/**
 * Authenticates every {@code /api/**} request but the OpenAPI document: {@code Authorization: Bearer
 * <api key>}, and stores the {@link Principal} under {@link Requests#PRINCIPAL} before any route runs.
 */
final class AuthFilter implements Handler {
  private static final String BEARER = "bearer ";

  private final ApiKeyService keys;
  private final String anonymousPath;
  private final boolean admitsIngest;

  AuthFilter(ApiKeyService keys, String anonymousPath) {
    this(keys, anonymousPath, false);
  }

  /** {@code admitsIngest}: whether a key of role {@code ingest} may pass (only the span collector admits it). */
  AuthFilter(ApiKeyService keys, String anonymousPath, boolean admitsIngest) {
    this.keys = keys;
    this.anonymousPath = anonymousPath;
    this.admitsIngest = admitsIngest;
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.path().equals(anonymousPath)) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw unauthorized("missing credentials (expected: Authorization: Bearer <api key>)");
    }
    if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw unauthorized("unsupported authorization scheme (expected: Authorization: Bearer <api key>)");
    }
    Principal principal = keys.authenticate(header.substring(BEARER.length()).trim())
        .orElseThrow(() -> unauthorized("unknown or revoked API key"));
    if (principal.role() == Role.INGEST && !admitsIngest) {
      throw ApiException.forbidden("role ingest may only post spans (POST /api/v2/spans)");
    }
    ctx.attribute(Requests.PRINCIPAL, principal);
  }

  private static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", detail);
  }
}
