package io.tenantry.demo.launcher;

import io.tenantry.demo.service.ParentWatch;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;

/**
 * {@code DemoMain supervised-server [server options]}: the control plane as a child of the launcher. It
 * runs the server's own {@code io.tenantry.server.Main} with the given options, and exits when the
 * launcher goes away (stdin closed or parent gone), so that a killed launcher leaves nothing behind.
 * The admin key reaches the server through {@value #ADMIN_KEY_ENV}, never the command line.
 */
public final class ControlPlaneProcess {
  public static final String ADMIN_KEY_ENV = "TENANTRY_ADMIN_KEY";
  static final String SERVER_MAIN = "io.tenantry.server.Main";

  private ControlPlaneProcess() {}

  public static void run(String[] args) throws Exception {
    ParentWatch.start("control-plane", Duration.ofMillis(500));
    try {
      // looked up by name: the server's Main is its own module's entry point, not an API of it
      Class.forName(SERVER_MAIN).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }
}
