package io.tenantry.server;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code java -jar tenantry-server.jar [--help] [--config <file>] [--key=value …]}: starts the control
 * plane and stops it cleanly on SIGTERM/Ctrl-C. Exit codes: 0 after {@code --help}, 1 if it could not
 * start, 2 for a bad command line or configuration.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    int code = parse(args, System.getenv(), System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
    ConfigLoader.Result result = ConfigLoader.load(Arrays.asList(args), System.getenv());
    // The hook is in place before the server starts and waits for the start to end, so that a stop
    // signal at any moment, even during the start, closes the server cleanly.
    AtomicReference<TenantryServer> running = new AtomicReference<>();
    CountDownLatch startEnded = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        startEnded.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      TenantryServer server = running.get();
      if (server != null) {
        server.close();
      }
      stopped.countDown();
    }, "tenantry-shutdown"));
    try {
      running.set(TenantryServer.start(result.config()));
    } catch (RuntimeException e) {
      System.err.println("tenantry: cannot start: " + e.getMessage());
      startEnded.countDown();
      System.exit(1);
      return;
    }
    startEnded.countDown();
    stopped.await();
  }

  /**
   * Handles what needs no server: returns 0 after printing help, 2 after printing what is wrong with
   * the command line or configuration, and -1 when the server should start.
   */
  static int parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      ConfigLoader.Result result = ConfigLoader.load(Arrays.asList(args), env);
      if (result.help()) {
        out.print(ConfigLoader.help());
        out.flush();
        return 0;
      }
      return -1;
    } catch (ConfigException e) {
      err.println("tenantry: " + e.getMessage());
      err.flush();
      return 2;
    }
  }
}
