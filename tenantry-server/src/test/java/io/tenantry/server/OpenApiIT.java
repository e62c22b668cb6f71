package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document served by the server describes exactly the routes the server has. */
class OpenApiIT {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @TempDir
  Path dataDir;

  @Test
  void document_matchesTheRoutesExactly() throws Exception {
    try (ServerFixture f = ServerFixture.start(dataDir)) {
      ServerFixture.Response r = f.anonymous().get("/api/v1/openapi.yaml").expect(200);
      assertThat(r.contentType()).startsWith("application/yaml");
      JsonNode doc = new YAMLMapper().readTree(r.body());

      assertThat(doc.path("openapi").asText()).startsWith("3.1");
      assertThat(documented(doc)).containsExactlyElementsOf(new TreeSet<>(f.server().routes()));
    }
  }

  @Test
  void document_refsAllResolve() throws Exception {
    try (ServerFixture f = ServerFixture.start(dataDir)) {
      JsonNode doc = new YAMLMapper().readTree(f.anonymous().get("/api/v1/openapi.yaml").expect(200).body());
      Set<String> refs = new TreeSet<>();
      collectRefs(doc, refs);

      assertThat(refs).isNotEmpty().allSatisfy(ref ->
          assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
    }
  }

  private static Set<String> documented(JsonNode doc) {
    Set<String> out = new TreeSet<>();
    doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (METHODS.contains(m)) {
        out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
      }
    }));
    return out;
  }

  private static void collectRefs(JsonNode node, Set<String> refs) {
    if (node.isObject() && node.has("$ref")) {
      refs.add(node.get("$ref").asText());
    }
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      collectRefs(it.next(), refs);
    }
  }
}
