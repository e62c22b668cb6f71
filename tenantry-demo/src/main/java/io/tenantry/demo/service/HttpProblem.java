package io.tenantry.demo.service;

import io.tenantry.api.Problem;
import io.tenantry.demo.store.Refusal;
import java.sql.SQLException;

/**
 * An expected failure of a request, answered as {@code application/problem+json} with a stable type.
 * Thrown by handlers and turned into the response by {@link Router}; carries no stack trace.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String field;

  HttpProblem(int status, String type, String detail) {
    this(status, type, detail, null);
  }

  HttpProblem(int status, String type, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.field = field;
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  Problem toProblem(String path) {
    return new Problem(Problem.TYPE_PREFIX + type, title(status), status, getMessage(), path, field, null);
  }

  static HttpProblem notFound(String what, String id) {
    return new HttpProblem(404, "not-found", what + " " + id + " not found");
  }

  /** A business rule's refusal: 409 with the rule's type, e.g. insufficient-funds. */
  static HttpProblem refused(Refusal r) {
    return new HttpProblem(409, r.type(), r.getMessage());
  }

  /** The service's database failed: 503, so that a caller retries (on another instance). */
  static HttpProblem database(SQLException e) {
    return new HttpProblem(503, "database-unavailable", "the service's database failed (SQLSTATE " + e.getSQLState()
        + "); retry");
  }

  static HttpProblem badRequest(String field, String detail) {
    return new HttpProblem(400, "invalid-request", field + ": " + detail, field);
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
