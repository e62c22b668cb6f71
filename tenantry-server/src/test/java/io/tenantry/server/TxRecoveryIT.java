package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tenantry.api.ApiPaths;
import io.tenantry.api.tx.BranchPhase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's log survives the coordinator: servers on a real PostgreSQL database of their own (created
 * and dropped here). A server decides commit and is stopped before the participant can be reached; a new server
 * on the same store resumes phase two and finishes it. A transaction's timeout is kept across a restart too. And
 * with two nodes up at once, only the leader drives phase two, also of what the other node decided.
 */
class TxRecoveryIT {
  static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final Duration LONG = Duration.ofSeconds(30);

  final String database = "tenantry_tx_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  @TempDir
  Path dirA;
  @TempDir
  Path dirB;
  ServerFixture a;
  ServerFixture b;
  TxParticipant payment;
  String serviceKey;

  @BeforeEach
  void createDatabase() throws Exception {
    try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  @AfterEach
  void dropDatabase() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {payment, a, b}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", ""); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  ServerFixture node(Path dir) {
    return ServerFixture.start(ServerFixture.config(dir).storeUrl("jdbc:postgresql://127.0.0.1:5432/" + database)
        .storeUser("postgres").tx(t -> t.withRetryBaseBackoff(Duration.ofMillis(50)).withRetryMaxBackoff(Duration.ofMillis(300))
            .withScanInterval(Duration.ofMillis(200))).build());
  }

  /** Namespace shop, tenant acme, a service key, and a participant of service payment registered on {@code f}. */
  void setUp(ServerFixture f) {
    f.namespace("shop");
    f.admin().post(ApiPaths.expand(ApiPaths.TENANTS, "shop"), Map.of("id", "acme")).expect(201);
    serviceKey = f.key("shop", "service");
    payment = new TxParticipant(f.baseUri(), "shop", "payment");
    register(f);
  }

  void register(ServerFixture f) {
    f.as(serviceKey).put(ApiPaths.expand(ApiPaths.INSTANCE, "shop", "payment", "payment-1"),
        Map.of("id", "payment-1", "host", "127.0.0.1", "port", payment.port(), "leaseSeconds", 3600)).expect(201);
  }

  String beginWithBranch(ServerFixture f, String timeout) {
    String xid = f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTIONS, "shop"),
        Map.of("tenant", "acme", "timeout", timeout)).expect(201).json().path("xid").asText();
    f.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_BRANCHES, "shop", xid), Map.of("tenant", "acme",
        "service", "payment", "action", "debit", "key", "w-1", "instance", "payment-1")).expect(201);
    return xid;
  }

  static JsonNode tx(ServerFixture f, String key, String xid) {
    return f.as(key).get(ApiPaths.expand(ApiPaths.TRANSACTION, "shop", xid)).expect(200).json();
  }

  @Test
  void aCommitDecidedBeforeACrash_isFinishedByTheNextServerOnTheSameStore() {
    a = node(dirA);
    setUp(a);
    String kid = a.anonymous().get(ApiPaths.JWKS).expect(200).json().path("keys").get(0).path("kid").asText();
    payment.stop(); // unreachable while the first server runs
    String xid = beginWithBranch(a, "60s");

    assertThat(a.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_COMMIT, "shop", xid), null).expect(200)
        .json().path("state").asText()).isEqualTo("committing");
    await().atMost(LONG).until(() -> tx(a, serviceKey, xid).path("branches").get(0).path("attempts").asInt() >= 1);
    a.close();

    payment.restart();
    b = node(dirB);
    payment.controlPlane(b.baseUri());
    register(b); // the SDK registers again with the control plane it finds

    await().atMost(LONG).until(() -> tx(b, serviceKey, xid).path("state").asText().equals("committed"));
    assertThat(payment.done()).extracting(TxParticipant.Call::phase, TxParticipant.Call::xid)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(BranchPhase.CONFIRM, xid));
    assertThat(payment.badTokens()).isEmpty();
    assertThat(b.anonymous().get(ApiPaths.JWKS).json().path("keys").get(0).path("kid").asText())
        .as("the same signing key after a restart").isEqualTo(kid);
    assertThat(TxCoordinatorIT.kinds(tx(b, serviceKey, xid))).containsExactly("begun", "commit", "committed");
  }

  @Test
  void anActiveTransactionsTimeout_isKeptAcrossARestart() {
    a = node(dirA);
    setUp(a);
    String xid = beginWithBranch(a, "3s");
    a.close();

    b = node(dirB);
    payment.controlPlane(b.baseUri());
    register(b);

    await().atMost(LONG).until(() -> tx(b, serviceKey, xid).path("state").asText().equals("rolled-back"));
    assertThat(tx(b, serviceKey, xid).path("reason").asText()).isEqualTo("timeout");
    assertThat(payment.done()).extracting(TxParticipant.Call::phase).containsExactly(BranchPhase.CANCEL);
  }

  @Test
  void twoNodes_onlyTheLeaderDrivesPhaseTwo_alsoOfWhatTheOtherDecided() {
    a = node(dirA);
    setUp(a);
    b = node(dirB);
    register(b);
    await().atMost(LONG).until(() -> b.anonymous().get(ApiPaths.JWKS).json().path("keys").get(0).path("kid").asText()
        .equals(a.anonymous().get(ApiPaths.JWKS).json().path("keys").get(0).path("kid").asText()));
    String xid = beginWithBranch(b, "60s");

    b.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_COMMIT, "shop", xid), null).expect(200);

    await().atMost(LONG).until(() -> tx(a, serviceKey, xid).path("state").asText().equals("committed"));
    assertThat(payment.done()).as("confirmed once, by the leader").hasSize(1);
    assertThat(payment.badTokens()).isEmpty();

    a.close(); // the leader goes: the other node takes over
    payment.controlPlane(b.baseUri());
    String next = beginWithBranch(b, "60s");
    b.as(serviceKey).post(ApiPaths.expand(ApiPaths.TRANSACTION_COMMIT, "shop", next), null).expect(200);
    await().atMost(LONG).until(() -> tx(b, serviceKey, next).path("state").asText().equals("committed"));
  }
}
