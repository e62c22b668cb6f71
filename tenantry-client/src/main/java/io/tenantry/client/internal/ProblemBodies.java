package io.tenantry.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.api.Problem;
import java.nio.charset.StandardCharsets;

/** Renders the problem+json answers of the inbound adapters. Thread-safe. */
final class ProblemBodies {
  private final ObjectMapper mapper = Json.newMapper();

  byte[] render(InboundTenant.Decision d, String path) {
    Problem p = new Problem(Problem.TYPE_PREFIX + d.type(), d.status() == 400 ? "Invalid tenant" : "Tenant refused",
        d.status(), d.detail(), path, d.status() == 400 ? "tenant" : null, null);
    try {
      return mapper.writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      return ("{\"status\":" + d.status() + "}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
