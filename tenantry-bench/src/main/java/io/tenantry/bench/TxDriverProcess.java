package io.tenantry.bench;

import io.tenantry.bench.tx.TxRun;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A transaction driver running as its own process ({@link io.tenantry.bench.tx.TxDriverLoop} behind a
 * coordinator's client), commanded through its stdin; its protocol lines are read from its stdout, everything
 * else it prints goes to its log file. {@link #close()} asks it to quit, then stops it. Not thread-safe.
 */
final class TxDriverProcess implements Closeable {
  /** How much longer than the run itself an answer may take (the last transactions finishing, a slow start). */
  private static final Duration ANSWER_GRACE = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final Path log;
  private final PrintWriter commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private TxDriverProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.commands = new PrintWriter(process.outputWriter(StandardCharsets.UTF_8), true);
  }

  /** Starts {@code command} and waits until it says it is ready (its client initialised and connected). */
  static TxDriverProcess start(String name, List<String> command, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    TxDriverProcess driver = new TxDriverProcess(name, p, log);
    Thread reader = new Thread(driver::readAnswers, name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      String first = driver.answer(timeout);
      if (!first.equals(TxRun.PREFIX + "ready")) {
        throw new IOException(name + " did not start: " + first + "; see " + log);
      }
      return driver;
    } catch (IOException | RuntimeException e) {
      driver.close();
      throw e;
    }
  }

  /** Runs {@code kind} on {@code threads} threads for {@code time}, and returns what the driver measured. */
  TxRun run(String kind, int threads, Duration time) throws IOException, InterruptedException {
    commands.println("run " + kind + " " + threads + " " + time.toMillis());
    String line = answer(time.plus(ANSWER_GRACE));
    try {
      return TxRun.parse(line);
    } catch (IllegalArgumentException e) {
      throw new IOException(name + ": " + e.getMessage() + "; see " + log, e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** The next protocol line; fails at once if the driver exited without one. */
  private String answer(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = answers.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        return line;
      }
      if (!process.isAlive() && answers.isEmpty()) {
        throw new IOException(name + " exited with " + process.exitValue() + " without an answer; see " + log);
      }
    }
    throw new IOException(name + " gave no answer within " + timeout + "; see " + log);
  }

  /** Protocol lines to the queue, the rest to the log (a client library may print to stdout). */
  private void readAnswers() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); Writer other = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(TxRun.PREFIX)) {
          answers.add(line);
        } else {
          other.write(line + "\n");
          other.flush();
        }
      }
    } catch (IOException e) {
      answers.add(name + " stdout: " + e);
    }
  }

  @Override
  public void close() {
    commands.println("quit");
    ServerProcess.awaitExit(process);
  }
}
