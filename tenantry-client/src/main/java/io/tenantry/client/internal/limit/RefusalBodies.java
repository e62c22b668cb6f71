package io.tenantry.client.internal.limit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Json;
import io.tenantry.api.Problem;
import java.nio.charset.StandardCharsets;

/** Renders the problem+json body of a 429 (no {@code instance}, so a key's body can be cached). Thread-safe. */
final class RefusalBodies {
  private static final ObjectMapper MAPPER = Json.newMapper();

  private RefusalBodies() {}

  static byte[] render(String type, String detail) {
    String title = Refusal.QUOTA_EXCEEDED.equals(type) ? "Quota exceeded" : "Rate limit exceeded";
    try {
      return MAPPER.writeValueAsBytes(new Problem(Problem.TYPE_PREFIX + type, title, Refusal.STATUS, detail, null, null, null));
    } catch (JsonProcessingException e) { // cannot happen for a record of strings
      return ("{\"status\":" + Refusal.STATUS + "}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
