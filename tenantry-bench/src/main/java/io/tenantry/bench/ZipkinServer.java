package io.tenantry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts Zipkin's published server ({@code io.zipkin:zipkin-server:<version>:jar:exec}) as a process on
 * 127.0.0.1 with in-memory storage: the peer of the span-ingestion benchmark. Stateless.
 */
final class ZipkinServer {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private ZipkinServer() {}

  /**
   * Zipkin with {@code STORAGE_TYPE=mem} keeping at most {@code maxSpans} spans, its log in
   * {@code work/logs/<name>.log}; ready once {@code /health} answers 200. Zipkin's settings are Spring
   * placeholders, so they are given as flags ({@code --MEM_MAX_SPANS=...}), as its environment would.
   */
  static ServerProcess start(Path jar, Path work, String name, int maxSpans, List<String> jvmOptions)
      throws IOException, InterruptedException {
    int port = ServerProcess.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    // the whole port entry: a flag that set only its ip would replace Zipkin's list and lose QUERY_PORT
    cmd.addAll(List.of("-jar", jar.toString(), "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1",
        "--armeria.ports[0].protocols[0]=http", "--STORAGE_TYPE=mem", "--MEM_MAX_SPANS=" + maxSpans,
        "--SELF_TRACING_ENABLED=false"));
    return ServerProcess.start(name, cmd, port, "/health", work.resolve("logs"), START_TIMEOUT);
  }
}
