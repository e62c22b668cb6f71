package io.tenantry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
  /** One reader per body type: {@code readValue(bytes, Class)} resolves the type anew for every request. */
  private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return MAPPER.readerFor(type);
    }
  };

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
    if (ctx.queryString() == null) {
      return null; // most requests have no query: the parameters are not parsed at all
    }
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
    T value = optionalBody(ctx, type);
    if (value == null) {
      throw ApiException.badRequest(null, "empty body (expected: a JSON object)");
    }
    return value;
  }

  /** As {@link #body}, but null for an empty body. */
  public static <T> T optionalBody(Context ctx, Class<T> type) {
    byte[] bytes = bodyBytes(ctx);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new ApiException(413, "payload-too-large",
          "body of " + bytes.length + " bytes (expected: at most " + MAX_BODY_BYTES + ")");
    }
    if (bytes.length == 0) {
      return null;
    }
    try {
      T value = READERS.get(type).readValue(bytes);
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

  /**
   * The body's bytes. One of a known length (every SDK request) is read straight into an array of that size:
   * Javalin would copy it through a fresh 8 KiB buffer into a growing one. Read once: a route reads its body
   * through here only.
   */
  private static byte[] bodyBytes(Context ctx) {
    long length = ctx.req().getContentLengthLong();
    if (length < 0 || length > MAX_BODY_BYTES) {
      return ctx.bodyAsBytes(); // chunked, or refused by the caller without being read whole
    }
    byte[] bytes = new byte[(int) length];
    try {
      int n = ctx.req().getInputStream().readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) {
        throw ApiException.badRequest(null, "body of " + n + " bytes (expected: " + length + ", its Content-Length)");
      }
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(null, "unreadable body");
    }
    return bytes;
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
