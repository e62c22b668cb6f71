package io.tenantry.server.http;

import io.tenantry.api.Problem;

/**
 * An expected failure of a request, rendered as problem+json by the HTTP layer. {@code type} is the
 * stable slug appended to {@link Problem#TYPE_PREFIX} (e.g. {@code not-found}); {@code field} points at
 * the offending input where there is one. Stackless: these are answers, not bugs.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String type;
  private final String field;

  public ApiException(int status, String type, String detail) {
    this(status, type, detail, null);
  }

  public ApiException(int status, String type, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.field = field;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not-found", what + " does not exist");
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "conflict", detail);
  }

  public static ApiException badRequest(String field, String detail) {
    return new ApiException(400, "invalid-input", detail, field);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(403, "forbidden", detail);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String field() {
    return field;
  }
}
