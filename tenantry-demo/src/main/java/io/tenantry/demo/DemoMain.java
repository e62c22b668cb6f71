package io.tenantry.demo;

import io.tenantry.demo.launcher.ControlPlaneProcess;
import io.tenantry.demo.launcher.LauncherCommand;
import io.tenantry.demo.service.ServiceCommand;
import java.util.Arrays;

/**
 * The demo's entry point: {@code demo} runs the launcher, {@code service <user|order|payment>} one
 * service instance, {@code supervised-server} the control plane as a child of the launcher. Each
 * accepts {@code --help}.
 */
public final class DemoMain {
  /** The subcommand that runs the control plane under the launcher's supervision. */
  public static final String SUPERVISED_SERVER = "supervised-server";

  private DemoMain() {}

  static String help() {
    return """
        Usage: DemoMain <command> [options]

        Commands:
          demo                             start the control plane and the user/order/payment services for
                                           three tenants, drive traffic, print per-tenant results (Ctrl-C stops)
          service <user|order|payment>     run one instance of a demo service (the launcher starts nine)
          supervised-server [options]      run the control plane as a child of the launcher (exits with it)

        Run 'DemoMain <command> --help' for the options of a command.
        """;
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("(try --help)");
      System.exit(2);
    } catch (Exception e) {
      System.err.println("error: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      System.out.println(help());
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "demo" -> {
        LauncherCommand.run(rest);
        System.exit(0); // the SDK's and HTTP client's threads must not keep a finished demo alive
      }
      case "service" -> ServiceCommand.run(rest);
      case SUPERVISED_SERVER -> ControlPlaneProcess.run(rest);
      default -> throw new UsageException("unknown command: '" + args[0] + "' (expected: demo, service or "
          + SUPERVISED_SERVER + ")");
    }
  }
}
