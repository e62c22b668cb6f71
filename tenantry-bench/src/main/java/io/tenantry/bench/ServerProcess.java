package io.tenantry.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the benchmark started as a child process, its output in a log file; ready once a GET of
 * its health path answers 200. {@link #close()} stops it (and waits). Not thread-safe.
 */
final class ServerProcess implements Closeable {
  private final String name;
  private final Process process;
  private final InetSocketAddress address;
  private final Path logFile;

  private ServerProcess(String name, Process process, InetSocketAddress address, Path logFile) {
    this.name = name;
    this.process = process;
    this.address = address;
    this.logFile = logFile;
  }

  /** Starts {@code command} and waits until {@code healthPath} on {@code port} answers 200. */
  static ServerProcess start(String name, List<String> command, int port, String healthPath, Path logDir,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ServerProcess server = new ServerProcess(name, p, new InetSocketAddress("127.0.0.1", port), log);
    try {
      server.awaitHealthy(healthPath, timeout);
      return server;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void awaitHealthy(String healthPath, Duration timeout) throws IOException, InterruptedException {
    byte[] request = new Requests("127.0.0.1:" + address.getPort(), null, "application/json").get(healthPath);
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with " + process.exitValue() + "; see " + logFile + ":\n" + tail());
      }
      try (HttpConnection c = HttpConnection.open(address)) {
        int status = c.exchange(request);
        if (status == 200) {
          return;
        }
        last = "status " + status;
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new IOException(name + " not healthy within " + timeout + " (" + last + "); see " + logFile);
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  InetSocketAddress address() {
    return address;
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }

  /** A port free on 127.0.0.1 right now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    awaitExit(process);
  }

  /** Waits up to 20 s for {@code process} to end after it was asked to, then kills it. */
  static void awaitExit(Process process) {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
