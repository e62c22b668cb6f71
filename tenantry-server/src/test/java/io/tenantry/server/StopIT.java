package io.tenantry.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping is prompt and clean: requests sent while the server stops are answered or see their
 * connection closed or refused within a short bound, never left hanging; open watch streams end.
 */
class StopIT {
  /** Far under a client's usual timeout (5 s): what "not a hang" means here. */
  static final Duration BOUND = Duration.ofSeconds(3);
  static final int SENDERS = 4;

  @TempDir
  Path dataDir;

  enum Outcome { ANSWERED, CLOSED, REFUSED, HUNG }

  @Test
  void requestsOnFreshConnections_duringStop_areAnsweredOrClosed_neverLeftHanging() throws Exception {
    stopWhileSending(port -> (path -> send(port, path)));
  }

  @Test
  void requestsOnKeptAliveConnections_duringStop_areAnsweredOrClosed_neverLeftHanging() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(BOUND).build();
    stopWhileSending(port -> (path -> sendPooled(http, port, path)));
  }

  interface Sender {
    Outcome send(String path);
  }

  private void stopWhileSending(java.util.function.IntFunction<Sender> senderFor) throws Exception {
    ServerFixture f = ServerFixture.start(dataDir);
    f.namespace("shop");
    ServerFixture.Watch watch = f.watch("shop", "");
    int port = f.server().port();
    // A request certainly in flight when the stop begins: a long-poll that would wait a minute.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> longPoll = http.sendAsync(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.baseUri()
                + ApiPaths.expand(ApiPaths.INSTANCES, "shop", "order") + "?index=1000000000&wait=60s"))
            .header("Authorization", "Bearer " + ServerFixture.ADMIN_KEY).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    String path = ApiPaths.expand(ApiPaths.NAMESPACE, "shop");
    Sender sender = senderFor.apply(port);

    ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    AtomicBoolean stopped = new AtomicBoolean();
    CountDownLatch sending = new CountDownLatch(SENDERS);
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    List<Future<?>> loops = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      loops.add(senders.submit(() -> {
        sending.countDown();
        // Bounded: keeps sending until the stop returned and a few requests met the stopped server.
        for (int n = 0, after = 0; n < 100_000 && after < 5; n++) {
          boolean wasStopped = stopped.get();
          Outcome o = sender.send(path);
          outcomes.add(o);
          if (o == Outcome.HUNG || wasStopped) {
            after++;
          }
        }
      }));
    }
    assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
    // Requests are flowing (answered) when the stop begins.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.contains(Outcome.ANSWERED));
    long t0 = System.nanoTime();
    f.close();
    Duration stopTook = Duration.ofNanos(System.nanoTime() - t0);
    stopped.set(true);
    for (Future<?> loop : loops) {
      loop.get(30, TimeUnit.SECONDS);
    }
    senders.shutdown();

    assertThat(stopTook).isLessThan(BOUND);
    assertThat(watch.ended()).succeedsWithin(BOUND);
    assertThat(longPoll).succeedsWithin(BOUND).satisfies(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(outcomes).contains(Outcome.ANSWERED).doesNotContain(Outcome.HUNG);
    assertThat(outcomes).containsAnyOf(Outcome.CLOSED, Outcome.REFUSED);
  }

  /** One GET through a JDK client that keeps connections alive between requests, as the SDK does. */
  private static Outcome sendPooled(java.net.http.HttpClient http, int port, String path) {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
        .timeout(BOUND).header("Authorization", "Bearer " + ServerFixture.ADMIN_KEY).build();
    try {
      http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
      return Outcome.ANSWERED;
    } catch (java.net.http.HttpTimeoutException e) {
      return Outcome.HUNG;
    } catch (java.net.ConnectException e) {
      return Outcome.REFUSED;
    } catch (IOException e) {
      return Outcome.CLOSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.CLOSED;
    }
  }

  /** One GET on a connection of its own, as admin: how it ended within {@link #BOUND}. */
  private static Outcome send(int port, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) BOUND.toMillis());
      socket.setSoTimeout((int) BOUND.toMillis());
      String head = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ServerFixture.ADMIN_KEY
          + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      byte[] status = in.readNBytes(12);
      if (status.length < 12) {
        return Outcome.CLOSED;
      }
      in.readAllBytes();
      return Outcome.ANSWERED;
    } catch (SocketTimeoutException e) {
      return Outcome.HUNG;
    } catch (java.net.ConnectException e) {
      return Outcome.REFUSED;
    } catch (IOException e) {
      return Outcome.CLOSED;
    }
  }
}
