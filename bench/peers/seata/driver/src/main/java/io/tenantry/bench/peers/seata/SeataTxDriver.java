package io.tenantry.bench.peers.seata;

import io.seata.integration.tx.api.util.ProxyUtil;
import io.seata.rm.RMClient;
import io.seata.tm.TMClient;
import io.seata.tm.api.GlobalTransaction;
import io.seata.tm.api.GlobalTransactionContext;
import io.tenantry.bench.tx.TxCall;
import io.tenantry.bench.tx.TxDriverLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The Seata side of the transaction benchmark, a process of its own: Seata's TM and RM clients (no Spring)
 * connected to the Seata server at {@code 127.0.0.1:<port>}, serving {@link TxDriverLoop}'s commands with two
 * kinds of global transaction: {@code empty} (begin, commit) and {@code tcc2} (begin, a try of each of two TCC
 * participants of this process, which registers their branches, commit; the server then calls both confirms here).
 * Usage: {@code SeataTxDriver <service-port>}.
 */
public final class SeataTxDriver {
  private static final String APPLICATION = "tenantry-bench";
  private static final String GROUP = "tenantry_bench_group";
  private static final int TIMEOUT_MS = 60_000;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

  private SeataTxDriver() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: SeataTxDriver <seata-service-port>");
      System.exit(2);
    }
    // Seata's file configuration reads system properties first: the server's address, decided by the orchestrator
    System.setProperty("service.vgroupMapping." + GROUP, "default");
    System.setProperty("service.default.grouplist", "127.0.0.1:" + Integer.parseInt(args[0]));
    // the protocol lines go to the real stdout; whatever Seata prints goes to stderr (the driver's log)
    PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err);
    TMClient.init(APPLICATION, GROUP);
    RMClient.init(APPLICATION, GROUP);
    ReserveAction reserve = ProxyUtil.createProxy(new Reserve());
    DebitAction debit = ProxyUtil.createProxy(new Debit());
    TxCall empty = () -> {
      GlobalTransaction tx = GlobalTransactionContext.createNew();
      tx.begin(TIMEOUT_MS, "bench-empty");
      tx.commit();
    };
    TxCall tcc2 = () -> {
      GlobalTransaction tx = GlobalTransactionContext.createNew();
      tx.begin(TIMEOUT_MS, "bench-tcc2");
      try {
        reserve.prepare(null, 10);
        debit.prepare(null, 10);
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
      tx.commit();
    };
    awaitConnected(empty);
    new TxDriverLoop(Map.of("empty", empty, "tcc2", tcc2))
        .serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), answers);
    System.err.printf("branch rows: tried %d, confirmed %d, cancelled %d%n", BranchRows.count("tried"),
        BranchRows.count("confirmed"), BranchRows.count("cancelled"));
    System.exit(0);
  }

  /** Seata's client connects in the background: the first transactions fail until it has a channel. */
  private static void awaitConnected(TxCall empty) throws Exception {
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (true) {
      try {
        empty.run();
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200); // a reconnect attempt of Seata's client, not a wait for a condition we could observe
      }
    }
  }
}
