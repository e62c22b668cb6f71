package io.tenantry.client.internal.limit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a real server that a test can cut and restore, to take a backend away from a client
 * and give it back without touching the server. While cut it keeps listening (so the port stays its
 * own) but breaks every connection at once, as a server that is going down does. Not for production.
 */
final class TcpRelay implements AutoCloseable {
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;
  private volatile boolean cut;

  TcpRelay(int targetPort) {
    this.targetPort = targetPort;
  }

  /** Listens on a free port and relays every connection. */
  TcpRelay start() throws IOException {
    ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server = s;
    Thread accept = new Thread(() -> acceptLoop(s), "relay-accept");
    accept.setDaemon(true);
    accept.start();
    return this;
  }

  int port() {
    return server.getLocalPort();
  }

  /** Breaks every relayed connection, and every new one until {@link #restore()}. */
  synchronized void cut() throws IOException {
    cut = true;
    closeAll();
  }

  /** Relays new connections again. */
  void restore() {
    cut = false;
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeAll();
  }

  private synchronized void closeAll() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  private void acceptLoop(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket in = s.accept();
        if (cut) {
          in.close();
          continue;
        }
        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException broken) {
        // the other side or cut() closed it
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }, "relay-pump");
    t.setDaemon(true);
    t.start();
  }
}
