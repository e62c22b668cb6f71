package io.tenantry.client;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty on 127.0.0.1 and a free port serving {@code servlet} behind {@code filter} on every path, with 8
 * pooled threads (so that a context leaking from one request to the next shows on a reused thread).
 */
public final class FilteredJetty implements AutoCloseable {
  private final Server jetty;
  private final URI base;

  private FilteredJetty(Server jetty, URI base) {
    this.jetty = jetty;
    this.base = base;
  }

  public static FilteredJetty start(TenantryServletFilter filter, HttpServlet servlet) throws Exception {
    Server jetty = new Server(new QueuedThreadPool(8, 2));
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    ctx.addServlet(new ServletHolder(servlet), "/*");
    jetty.setHandler(ctx);
    jetty.start();
    return new FilteredJetty(jetty, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  /** {@code path} on this server. */
  public URI uri(String path) {
    return base.resolve(path);
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
