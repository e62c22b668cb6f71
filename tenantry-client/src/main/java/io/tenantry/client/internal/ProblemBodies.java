package io.tenantry.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.api.Problem;
import java.nio.charset.StandardCharsets;

/** Renders the problem+json answers of the door and the transaction endpoint. Stateless. */
public final class ProblemBodies {
  private ProblemBodies() {}


  private static final ObjectMapper MAPPER = Json.newMapper();

  static byte[] render(InboundTenant.Decision d, String path) {
    return render(new Problem(Problem.TYPE_PREFIX + d.type(), d.status() == 400 ? "Invalid tenant" : "Tenant refused",
        d.status(), d.detail(), path, d.status() == 400 ? "tenant" : null, null));
  }

  /** A problem of type {@code type} (the slug after {@link Problem#TYPE_PREFIX}). */
  public static byte[] render(String type, String title, int status, String detail, String path) {
    return render(new Problem(Problem.TYPE_PREFIX + type, title, status, detail, path, null, null));
  }

  private static byte[] render(Problem p) {
    try {
      return MAPPER.writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      return ("{\"status\":" + p.status() + "}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
