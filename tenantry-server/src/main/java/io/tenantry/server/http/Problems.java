package io.tenantry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.tenantry.api.Problem;
import java.nio.charset.StandardCharsets;

/** Writes every error answer of the API as {@code application/problem+json}, one way. */
final class Problems {
  /** Set on a request once a problem was written, so that the status-based error pages leave it alone. */
  static final String WRITTEN = "tenantry.problem";

  private Problems() {}

  static void write(Context ctx, ApiException e) {
    write(ctx, e.status(), e.type(), e.getMessage(), e.field());
  }

  static void write(Context ctx, int status, String type, String detail, String field) {
    ctx.attribute(WRITTEN, Boolean.TRUE);
    ctx.status(status);
    ctx.contentType(Problem.MEDIA_TYPE);
    ctx.result(bytes(status, type, detail, ctx.path(), field));
  }

  static byte[] bytes(int status, String type, String detail, String instance, String field) {
    Problem p = new Problem(Problem.TYPE_PREFIX + type, title(status), status, detail, instance, field, null);
    try {
      return Requests.mapper().writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      return ("{\"type\":\"" + Problem.TYPE_PREFIX + "internal-error\",\"status\":" + status + "}")
          .getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The stable type slug of a status that has no more specific one. */
  static String typeOf(int status) {
    return switch (status) {
      case 400 -> "invalid-input";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 409 -> "conflict";
      case 410 -> "gone";
      case 413 -> "payload-too-large";
      case 415 -> "unsupported-media-type";
      case 431 -> "headers-too-large";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal-error" : "http-" + status;
    };
  }

  static String title(int status) {
    HttpStatus s = HttpStatus.forStatus(status);
    return s == HttpStatus.UNKNOWN ? "HTTP " + status : s.getMessage();
  }
}
