package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durable objects and the admin credential survive a restart on the same data directory. */
class RestartIT {
  @TempDir
  Path dataDir;

  @Test
  void namespacesTenantsAndKeys_surviveARestart_andRevisionsKeepIncreasing() {
    try (ServerFixture f = ServerFixture.start(dataDir)) {
      f.namespace("shop");
      f.admin().put(ApiPaths.expand(ApiPaths.NAMESPACE, "shop"), Map.of("name", "shop", "description", "the shop")).expect(200);
      long acmeRevision = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"),
          Map.of("id", "acme", "tier", "premium", "isolation", "siloed", "labels", Map.of("region", "eu")))
          .expect(201).json().path("revision").asLong();
      String key = f.key("shop", "operator");
      String revoked = f.key("shop", "viewer");
      String revokedId = revoked.split("_")[1];
      f.admin().delete(ApiPaths.expand(ApiPaths.KEY, "shop", revokedId)).expect(204);
      long listRevision = f.admin().get(ApiPaths.expand(ApiPaths.TENANTS, "shop")).json().path("revision").asLong();

      f.restart();

      JsonNode ns = f.admin().get(ApiPaths.expand(ApiPaths.NAMESPACE, "shop")).expect(200).json();
      assertThat(ns.path("description").asText()).isEqualTo("the shop");
      JsonNode acme = f.as(key).get(ApiPaths.expand(ApiPaths.TENANT, "shop", "acme")).expect(200).json();
      assertThat(acme.path("tier").asText()).isEqualTo("premium");
      assertThat(acme.path("isolation").asText()).isEqualTo("siloed");
      assertThat(acme.path("labels").path("region").asText()).isEqualTo("eu");
      assertThat(acme.path("revision").asLong()).isEqualTo(acmeRevision);
      f.as(revoked).get(ApiPaths.expand(ApiPaths.TENANTS, "shop")).expect(401);

      long globex = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "globex"))
          .expect(201).json().path("revision").asLong();
      assertThat(globex).isGreaterThan(listRevision).isGreaterThan(acmeRevision);
      assertThat(f.admin().get(ApiPaths.expand(ApiPaths.TENANTS, "shop")).json().path("revision").asLong())
          .isGreaterThanOrEqualTo(globex);
    }
  }

  @Test
  void generatedAdminKey_isPrintedOnceAndKeepsWorking() {
    ServerConfig config = ServerFixture.config(dataDir).adminKey(null).build();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    String generated;
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(first, true, StandardCharsets.UTF_8))) {
      generated = server.adminKey();
      assertThat(generated).startsWith("tnt_admin_");
      assertThat(first.toString(StandardCharsets.UTF_8)).contains(generated).contains("Authorization: Bearer");
    }

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    try (TenantryServer server = TenantryServer.start(config, new PrintStream(second, true, StandardCharsets.UTF_8));
         ServerFixture.Probe probe = new ServerFixture.Probe(server)) {
      assertThat(server.adminKey()).isNull();
      assertThat(second.toString(StandardCharsets.UTF_8)).doesNotContain(generated);
      assertThat(probe.status("GET", ApiPaths.NAMESPACES, generated)).isEqualTo(200);
      assertThat(probe.status("GET", ApiPaths.NAMESPACES, generated + "x")).isEqualTo(401);
    }
  }

  @Test
  void aSecondServerOnTheSameDataDir_failsToStartAndLeavesTheFirstServing() {
    try (ServerFixture f = ServerFixture.start(dataDir)) {
      ServerConfig same = ServerFixture.config(dataDir).build();

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> TenantryServer.start(same))
          .hasMessageContaining("is in use by another Tenantry server");

      f.admin().get(ApiPaths.NAMESPACES).expect(200);
    }
  }

  @Test
  void configuredAdminKey_isNotPrinted() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TenantryServer server = TenantryServer.start(ServerFixture.config(dataDir).build(),
        new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertThat(server.adminKey()).isEqualTo(ServerFixture.ADMIN_KEY);
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(ServerFixture.ADMIN_KEY);
    }
  }
}
