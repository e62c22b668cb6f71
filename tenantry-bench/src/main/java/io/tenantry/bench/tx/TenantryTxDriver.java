package io.tenantry.bench.tx;

import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import io.tenantry.client.tx.BranchFunction;
import io.tenantry.client.tx.TccAction;
import io.tenantry.client.tx.Transactions;
import io.tenantry.client.tx.TxOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The Tenantry side of the transaction benchmark, a process of its own: the SDK ({@code client.transactions()})
 * against the control plane at {@code <url>}, serving {@link TxDriverLoop}'s commands with two kinds of global
 * transaction: {@code empty} (begin, commit) and {@code tcc2} (begin, the try of each of two TCC actions of this
 * process, which registers their branches, commit). The actions' confirms arrive from the coordinator at this
 * process's phase-two endpoint (a JDK HTTP server with {@link TenantryHttpFilter}, registered as an instance of
 * the participant service); since Tenantry answers commit once its decision is durable, a {@code tcc2} run ends
 * when every confirm of its transactions has arrived. The participants' database is an in-memory H2 (their fence
 * log and a business row per branch, as on Seata's side).
 * Usage: {@code TenantryTxDriver <control-plane-url> <namespace> <service-key> <tenant>}.
 */
public final class TenantryTxDriver {
  private static final String SERVICE = "bench-participant";

  /** A branch's arguments, registered with the branch as JSON and handed back to confirm and cancel. */
  public record Amount(long value) {}

  private TenantryTxDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: TenantryTxDriver <control-plane-url> <namespace> <service-key> <tenant>");
      System.exit(2);
    }
    String tenant = args[3];
    // the protocol lines go to the real stdout; whatever else prints goes to stderr (the driver's log)
    PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    JdbcConnectionPool db = JdbcConnectionPool.create("jdbc:h2:mem:tenantry-bench;DB_CLOSE_DELAY=-1", "sa", "");
    db.setMaxConnections(128);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_branch (xid VARCHAR(128), branch BIGINT, action VARCHAR(32), amount BIGINT,"
          + " state VARCHAR(16), PRIMARY KEY (xid, branch))");
    }
    TenantryClient client = TenantryClient.newBuilder().servers(args[0]).namespace(args[1]).apiKey(args[2])
        .serviceName(SERVICE).transactionLog(db).build().start();
    // as the demo's services: without it the JDK's HttpServer writes an answer's head and body apart and, on a
    // kept-alive connection, the body waits for the coordinator's delayed ACK (~40 ms a confirm)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
    endpoint.setExecutor(Executors.newFixedThreadPool(16));
    endpoint.createContext("/", ex -> {
      ex.sendResponseHeaders(404, -1);
      ex.close();
    }).getFilters().add(new TenantryHttpFilter(client));
    endpoint.start();
    client.register(SERVICE, new InstanceSpec(SERVICE + "-1", "127.0.0.1", endpoint.getAddress().getPort(), "v1",
        null, 100, InstanceStatus.UP, Map.of(), null, 30));

    AtomicLong committed = new AtomicLong();
    AtomicLong confirmed = new AtomicLong();
    Transactions tx = client.transactions();
    BranchFunction<Amount> confirm = (ctx, c, a) -> {
      state(c, ctx.xid(), ctx.branch(), "confirmed");
      confirmed.incrementAndGet();
    };
    BranchFunction<Amount> cancel = (ctx, c, a) -> state(c, ctx.xid(), ctx.branch(), "cancelled");
    TccAction<Amount> reserve = tx.tcc("reserve", Amount.class, TenantryTxDriver::tried, confirm, cancel);
    TccAction<Amount> debit = tx.tcc("debit", Amount.class, TenantryTxDriver::tried, confirm, cancel);
    TxOptions empty = TxOptions.tcc("bench-empty");
    TxOptions tcc2 = TxOptions.tcc("bench-tcc2");
    Map<String, TxCall> kinds = Map.of(
        "empty", () -> {
          try (TenantContext.Scope s = TenantContext.enter(tenant)) {
            tx.inTransaction(empty, g -> null);
          }
        },
        "tcc2", () -> {
          try (TenantContext.Scope s = TenantContext.enter(tenant)) {
            tx.inTransaction(tcc2, g -> {
              reserve.tryBranch("order", new Amount(10));
              debit.tryBranch("order", new Amount(10));
              return null;
            });
          }
          committed.incrementAndGet();
        });
    new TxDriverLoop(kinds, Map.of("tcc2", () -> confirmed.get() >= 2 * committed.get()))
        .serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), answers);
    System.err.printf("committed %d two-branch transactions, %d confirms arrived%n", committed.get(), confirmed.get());
    endpoint.stop(0);
    client.close();
    System.exit(0);
  }

  private static void tried(io.tenantry.client.tx.BranchContext ctx, Connection c, Amount a) throws Exception {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO bench_branch (xid, branch, action, amount, state) VALUES (?, ?, ?, ?, 'tried')")) {
      p.setString(1, ctx.xid());
      p.setLong(2, ctx.branch());
      p.setString(3, ctx.action());
      p.setLong(4, a.value());
      p.executeUpdate();
    }
  }

  private static void state(Connection c, String xid, int branch, String state) throws Exception {
    try (PreparedStatement p = c.prepareStatement("UPDATE bench_branch SET state = ? WHERE xid = ? AND branch = ?")) {
      p.setString(1, state);
      p.setString(2, xid);
      p.setLong(3, branch);
      p.executeUpdate();
    }
  }
}
