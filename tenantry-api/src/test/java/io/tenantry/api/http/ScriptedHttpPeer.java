package io.tenantry.api.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer on a real socket that answers each HTTP/1.1 request it reads with the next scripted answer, byte for
 * byte (so tests can send what no proper server would), written in pieces when asked, and then keeps or closes
 * the connection as scripted. Records the requests it read and counts the connections it accepted.
 */
final class ScriptedHttpPeer implements AutoCloseable {
  /** An answer's bytes, written in {@code pieces}; then the connection is closed if {@code close}. */
  record Reply(byte[] bytes, int pieces, boolean close, long delayMillis) {
    static Reply of(String raw) {
      return new Reply(raw.getBytes(ISO_8859_1), 1, false, 0);
    }

    Reply inPieces(int n) {
      return new Reply(bytes, n, close, delayMillis);
    }

    Reply thenClose() {
      return new Reply(bytes, pieces, true, delayMillis);
    }

    Reply after(long millis) {
      return new Reply(bytes, pieces, close, millis);
    }
  }

  private final ServerSocket server;
  private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  ScriptedHttpPeer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::accept, "scripted-http-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  ScriptedHttpPeer then(Reply reply) {
    script.add(reply);
    return this;
  }

  ScriptedHttpPeer then(String raw) {
    return then(Reply.of(raw));
  }

  /** Each request as read: its head and body. */
  List<String> requests() {
    return requests;
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> serve(s), "scripted-http-peer-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (true) {
        String request = readRequest(in);
        if (request == null) {
          return;
        }
        requests.add(request);
        Reply reply = script.poll(10, TimeUnit.SECONDS);
        if (reply == null) {
          return;
        }
        if (reply.delayMillis() > 0) {
          Thread.sleep(reply.delayMillis()); // the scripted slowness of a server under test
        }
        byte[] b = reply.bytes();
        int step = Math.max(1, (b.length + reply.pieces() - 1) / reply.pieces());
        for (int at = 0; at < b.length; at += step) {
          out.write(b, at, Math.min(step, b.length - at));
          out.flush();
        }
        if (reply.close()) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  /** A request's head and its Content-Length body, or null at the end of the connection. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
    }
    String h = head.toString(ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return h + new String(in.readNBytes(length), ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
