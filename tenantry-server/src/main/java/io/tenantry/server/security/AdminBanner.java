package io.tenantry.server.security;

import java.io.PrintStream;

/** Shows a newly generated platform-admin key once, on standard output, with how to use it. */
public final class AdminBanner {
  private AdminBanner() {}

  public static void print(PrintStream out, String adminKey, String baseUri) {
    String line = "=".repeat(78);
    out.println(line);
    out.println(" Tenantry: a platform-admin API key was generated. It is shown ONLY THIS ONCE.");
    out.println();
    out.println("   " + adminKey);
    out.println();
    out.println(" Keep it in a secret store. Use it as a bearer token, e.g.:");
    out.println("   curl -H 'Authorization: Bearer <key>' " + baseUri + "/api/v1/namespaces");
    out.println(" Only its hash is stored; to choose your own on a fresh data directory, set");
    out.println(" admin.key (TENANTRY_ADMIN_KEY or --admin.key=...).");
    out.println(line);
    out.flush();
  }
}
