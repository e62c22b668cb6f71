package io.tenantry.server;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

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
    TenantryServer server;
    try {
      server = TenantryServer.start(result.config());
    } catch (RuntimeException e) {
      System.err.println("tenantry: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "tenantry-shutdown"));
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
