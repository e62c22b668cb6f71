package io.tenantry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.javalin.http.Context;
import io.tenantry.api.Json;
import io.tenantry.api.Names;
import io.tenantry.api.ValidationException;
import java.util.function.Function;
import io.tenantry.server.security.Action;
import io.tenantry.server.security.Principal;
import java.util.stream.Collectors;

/**
 * What every route needs from a request, done one way: the authenticated principal, validated path
 * parameters and a JSON body mapped to a wire record with errors that point at the field.
 */
public final class Requests {
  /** The request attribute under which the auth filter stores the {@link Principal}. */
  public static final String PRINCIPAL = "tenantry.principal";
  /** Largest request body accepted, in bytes. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  private static final ObjectMapper MAPPER = Json.newMapper();

  private Requests() {}

  /** The shared wire mapper (thread-safe). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new ApiException(401, "unauthorized", "missing credentials (expected: Authorization: Bearer <api key>)");
    }
    return p;
  }

  /**
   * The {@code {namespace}} path parameter, validated, after checking that the caller may do
   * {@code action} in it.
   */
  public static String namespace(Context ctx, Action action) {
    String ns = name(ctx, "namespace");
    principal(ctx).require(action, ns);
    return ns;
  }

  /** A path parameter that must be a DNS-label name. */
  public static String name(Context ctx, String param) {
    try {
      return Names.name(param, ctx.pathParam(param));
    } catch (ValidationException e) {
      throw badInput(e);
    }
  }

  /** A path parameter that must be an id. */
  public static String id(Context ctx, String param) {
    try {
      return Names.id(param, ctx.pathParam(param));
    } catch (ValidationException e) {
      throw badInput(e);
    }
  }

  /** An optional query parameter parsed by {@code parse} (null when absent); a {@link ValidationException} answers 400. */
  public static <T> T query(Context ctx, String param, Function<String, T> parse) {
    String raw = ctx.queryParam(param);
    if (raw == null) {
      return null;
    }
    try {
      return parse.apply(raw);
    } catch (ValidationException e) {
      throw ApiException.badRequest(param, param + ": " + e.reason());
    }
  }

  /** An optional query parameter that must be a DNS-label name. */
  public static String queryName(Context ctx, String param) {
    return query(ctx, param, v -> Names.name(param, v));
  }

  /** An optional query parameter that must be a whole number of at least 1. */
  public static Long queryPositive(Context ctx, String param) {
    return query(ctx, param, raw -> {
      try {
        long value = Long.parseLong(raw);
        if (value >= 1) {
          return value;
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new ValidationException(param, "'" + Names.shorten(raw) + "' (expected: a whole number >= 1)");
    });
  }

  /** The JSON body as {@code type}; any malformed, oversized or invalid body answers 400 or 413. */
  public static <T> T body(Context ctx, Class<T> type) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "payload-too-large",
          "body of " + bytes.length + " bytes (expected: at most " + MAX_BODY_BYTES + ")");
    }
    if (bytes.length == 0) {
      throw ApiException.badRequest(null, "empty body (expected: a JSON object)");
    }
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        throw ApiException.badRequest(null, "null body (expected: a JSON object)");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw badJson(e);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(null, "unreadable body");
    }
  }

  /** Maps a validation failure to a 400 that names the field. */
  public static ApiException badInput(ValidationException e) {
    return ApiException.badRequest(e.field(), e.getMessage());
  }

  static ApiException badJson(JsonProcessingException e) {
    Throwable cause = e.getCause();
    if (e instanceof ValueInstantiationException && cause instanceof ValidationException v) {
      return badInput(v);
    }
    if (cause instanceof ValidationException v) {
      return badInput(v);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return ApiException.badRequest(u.getPropertyName(), "unknown field '" + u.getPropertyName() + "'");
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = m.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
          .collect(Collectors.joining("."));
      String what = e instanceof InvalidFormatException f ? "'" + f.getValue() + "' has the wrong type" : "has the wrong type or is missing";
      return ApiException.badRequest(field, field + ": " + what);
    }
    return ApiException.badRequest(null, "malformed JSON: " + e.getOriginalMessage());
  }
}
