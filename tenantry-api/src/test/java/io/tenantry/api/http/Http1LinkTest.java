package io.tenantry.api.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.http.Http1AnswerReader.Answer;
import io.tenantry.api.http.ScriptedHttpPeer.Reply;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http1LinkTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final List<String> HEADERS = List.of("Authorization", "Bearer k", "Content-Type", "application/json");
  private static final String OK_JSON = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
      + "{\"xid\":\"a\"}";

  private final ScriptedHttpPeer peer;
  private final Http1Link link;

  Http1LinkTest() throws IOException {
    peer = new ScriptedHttpPeer();
    link = newLink(peer.uri(), 1 << 20);
  }

  private static Http1Link newLink(URI server, int maxBody) {
    return new Http1Link("the control plane", server, Duration.ofSeconds(2), Duration.ofSeconds(20), 8, maxBody);
  }

  @AfterEach
  void close() throws IOException {
    link.close();
    peer.close();
  }

  private Answer post(String body) throws IOException {
    return link.exchange("POST", "/api/v1/namespaces/shop/transactions", HEADERS, body.getBytes(UTF_8), TIMEOUT);
  }

  @Test
  void contentLengthAnswer_isRead_andTheConnectionIsKeptForTheNextCall() throws IOException {
    peer.then(OK_JSON).then(OK_JSON.replace("\"a\"", "\"b\""));

    Answer first = post("{\"tenant\":\"acme\"}");
    Answer second = post("{}");

    assertThat(first.status()).isEqualTo(200);
    assertThat(new String(first.body(), UTF_8)).isEqualTo("{\"xid\":\"a\"}");
    assertThat(new String(second.body(), UTF_8)).isEqualTo("{\"xid\":\"b\"}");
    assertThat(peer.connections()).isEqualTo(1);
    assertThat(link.idleConnections()).isEqualTo(1);
    assertThat(peer.requests().get(0)).startsWith("POST /api/v1/namespaces/shop/transactions HTTP/1.1\r\n")
        .contains("\r\nHost: 127.0.0.1:" + peer.uri().getPort() + "\r\n", "\r\nAuthorization: Bearer k\r\n",
            "\r\nContent-Length: 17\r\n")
        .endsWith("\r\n\r\n{\"tenant\":\"acme\"}");
  }

  @Test
  void chunkedAnswer_withExtensionsAndTrailers_arrivingByteByByte_isJoined() throws IOException {
    String chunked = "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n"
        + "5;name=value\r\n{\"xid\r\n" + "6\r\n\":\"a\"}\r\n" + "0\r\nX-Trailer: t\r\n\r\n";
    peer.then(Reply.of(chunked).inPieces(chunked.length())).then(OK_JSON);

    Answer a = post("{}");

    assertThat(a.status()).isEqualTo(201);
    assertThat(new String(a.body(), UTF_8)).isEqualTo("{\"xid\":\"a\"}");
    assertThat(new String(post("{}").body(), UTF_8)).isEqualTo("{\"xid\":\"a\"}"); // the stream stayed in step
    assertThat(peer.connections()).isEqualTo(1);
  }

  @Test
  void keptAliveConnectionClosedByTheServer_isDetected_andTheCallMadeOnceMoreOnANewOne() throws IOException {
    peer.then(Reply.of(OK_JSON).thenClose()).then(OK_JSON); // closes without saying Connection: close

    post("{}");
    Answer second = post("{}");

    assertThat(second.status()).isEqualTo(200);
    assertThat(peer.connections()).isEqualTo(2);
    assertThat(peer.requests()).hasSize(2); // the request on the closed connection never reached the server
  }

  @Test
  void freshConnectionClosedBeforeAnswering_isNotRetried() throws IOException {
    peer.then(Reply.of("").thenClose());

    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class)
        .hasMessageContaining("closed before an answer");
    assertThat(peer.connections()).isEqualTo(1);
  }

  @Test
  void connectionClose_isHonoured() throws IOException {
    peer.then(OK_JSON.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n")).then(OK_JSON);

    post("{}");
    assertThat(link.idleConnections()).isZero();
    post("{}");

    assertThat(peer.connections()).isEqualTo(2);
  }

  @Test
  void malformedStatusLine_failsNamingIt() {
    peer.then("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n");

    assertThatThrownBy(() -> post("{}")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("malformed status line 'HTTP/1.1 2x0 OK'");
    assertThat(link.idleConnections()).isZero(); // a connection out of step is never used again
  }

  @Test
  void notHttp_failsNamingIt() {
    peer.then("SSH-2.0-OpenSSH_9.2\r\n\r\n");

    assertThatThrownBy(() -> post("{}")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("malformed status line 'SSH-2.0-OpenSSH_9.2'");
  }

  @Test
  void oversizedHead_fails() {
    peer.then("HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(70_000) + "\r\nContent-Length: 0\r\n\r\n");

    assertThatThrownBy(() -> post("{}")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("answer head (status line and header fields) over 65536 bytes");
  }

  @Test
  void oversizedBody_byContentLength_orInChunks_orUntilTheEnd_fails() throws IOException {
    try (Http1Link small = newLink(peer.uri(), 16)) {
      peer.then("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n" + "x".repeat(17))
          .then("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + "x".repeat(16) + "\r\n1\r\nx\r\n0\r\n\r\n")
          .then(Reply.of("HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(17)).thenClose());

      for (String expected : List.of("answer body of 17 bytes (expected: at most 16 bytes",
          "answer body of over 16 bytes in chunks", "answer body of over 16 bytes before the connection ended")) {
        assertThatThrownBy(() -> small.exchange("POST", "/", HEADERS, new byte[0], TIMEOUT))
            .isInstanceOf(ProtocolException.class).hasMessageContaining(expected);
      }
    }
  }

  @Test
  void bodyUntilTheEndOfTheConnection_isRead_andTheConnectionNotKept() throws IOException {
    peer.then(Reply.of("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}").thenClose());

    Answer a = post("{}");

    assertThat(new String(a.body(), UTF_8)).isEqualTo("{}");
    assertThat(link.idleConnections()).isZero();
  }

  @Test
  void interimAnswer_isSkipped_andNoContent_hasNoBody() throws IOException {
    peer.then("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n").then(OK_JSON);

    Answer a = post("{}");

    assertThat(a.status()).isEqualTo(204);
    assertThat(a.body()).isEmpty();
    assertThat(post("{}").status()).isEqualTo(200);
  }

  @Test
  void truncatedBody_fails() {
    peer.then(Reply.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}").thenClose());

    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class)
        .hasMessageContaining("ended after 2 of 10 body bytes");
  }

  @Test
  void noAnswerInTime_isATimeout_notRetried() {
    peer.then(Reply.of(OK_JSON).after(2_000));

    assertThatThrownBy(() -> link.exchange("POST", "/", HEADERS, new byte[0], Duration.ofMillis(200)))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(peer.connections()).isEqualTo(1);
  }

  @Test
  void nobodyListening_isAConnectException() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (Http1Link nowhere = newLink(URI.create("http://127.0.0.1:" + port), 1024)) {
      assertThatThrownBy(() -> nowhere.exchange("POST", "/", HEADERS, null, TIMEOUT))
          .isInstanceOf(ConnectException.class).hasMessageContaining("cannot connect to the control plane at 127.0.0.1:" + port);
    }
  }

  @Test
  void headerValueWithALineBreak_isRefused_beforeAnythingIsSent() {
    assertThatThrownBy(() -> link.exchange("POST", "/", List.of("X-A", "a\r\nX-Injected: 1"), null, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X-A: a control or non-ASCII character");
    assertThat(peer.requests()).isEmpty();
  }

  @Test
  void https_isNotServedHere() {
    assertThatThrownBy(() -> newLink(URI.create("https://cp.example:8443"), 1024))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https is served by the JDK client");
  }

  @Test
  void closedLink_refusesCalls() {
    link.close();

    assertThatThrownBy(() -> post("{}")).isInstanceOf(IOException.class).hasMessageContaining("closed");
  }
}
