package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.ApiPaths;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on the real PostgreSQL at 127.0.0.1:5432, in a schema of its own, through a restart. */
class PostgresServerIT {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  final String schema = "server_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  @TempDir
  Path dataDir;

  @AfterEach
  void dropSchema() throws Exception {
    try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void durableObjectsLiveInPostgres() {
    ServerConfig config = ServerFixture.config(dataDir).storeUrl(URL).storeUser("postgres").storeSchema(schema).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      long acme = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme")).expect(201)
          .json().path("revision").asLong();
      String key = f.key("shop", "viewer");

      f.restart();

      f.as(key).get(ApiPaths.expand(ApiPaths.TENANT, "shop", "acme")).expect(200);
      long globex = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "globex")).expect(201)
          .json().path("revision").asLong();
      assertThat(globex).isGreaterThan(acme);
      f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme")).expect(409);
    }
    assertThat(dataDir.resolve("tenantry.mv.db")).doesNotExist();
  }

  @Test
  void aNamespaceDeletedUnderAWrite_answers404_notAStoreFailure() throws Exception {
    ServerConfig config = ServerFixture.config(dataDir).storeUrl(URL).storeUser("postgres").storeSchema(schema).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      // gone from the store while this server still believes in it: a delete racing the write, on another node
      try (Connection c = DriverManager.getConnection(URL, "postgres", ""); Statement s = c.createStatement()) {
        s.execute("DELETE FROM " + schema + ".namespaces WHERE name = 'shop'");
      }

      ServerFixture.Response r = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme"));

      assertThat(r.status()).isEqualTo(404);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().path("detail").asText()).contains("namespace 'shop'").contains("deleted");
    }
  }

  @Test
  void aStoreFailure_answers500WithAnIdAndNoStackTrace() throws Exception {
    ServerConfig config = ServerFixture.config(dataDir).storeUrl(URL).storeUser("postgres").storeSchema(schema).build();
    try (ServerFixture f = ServerFixture.start(config)) {
      f.namespace("shop");
      dropSchema();

      ServerFixture.Response r = f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme"));

      assertThat(r.status()).isEqualTo(500);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.json().path("type").asText()).endsWith("/internal-error");
      assertThat(r.json().path("detail").asText()).containsPattern("id [0-9a-f-]{36}");
      assertThat(r.body()).doesNotContain("SQL").doesNotContain("Exception").doesNotContain(schema);
    }
  }
}
