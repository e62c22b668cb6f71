package io.tenantry.demo.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The processes the launcher started, by name, each with its output in {@code <logs>/<name>.log}. A
 * child's stdin stays an open pipe: when the launcher dies the pipe closes and the child exits by
 * itself. Stopping is graceful first (SIGTERM, so shutdown hooks deregister), forced after a grace
 * period; {@link #kill} is SIGKILL at once. Thread-safe.
 */
final class Children {
  /** One started process. */
  record Child(String name, Process process, Path log) {
    boolean alive() {
      return process.isAlive();
    }
  }

  private final Path logs;
  private final Map<String, Child> children = new LinkedHashMap<>();

  Children(Path logs) {
    this.logs = logs;
  }

  synchronized Child start(String name, List<String> command, Map<String, String> env) throws IOException {
    if (children.containsKey(name) && children.get(name).alive()) {
      throw new IllegalStateException("child already running: " + name);
    }
    Files.createDirectories(logs);
    Path log = logs.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().putAll(env);
    Child child = new Child(name, pb.start(), log);
    children.put(name, child);
    return child;
  }

  synchronized Optional<Child> get(String name) {
    return Optional.ofNullable(children.get(name));
  }

  synchronized List<Child> all() {
    return List.copyOf(children.values());
  }

  /** Stops one child: SIGTERM, then SIGKILL after {@code graceSeconds}; returns its exit code. */
  int stop(String name, long graceSeconds) {
    Child child = get(name).orElseThrow(() -> new IllegalArgumentException("no such child: " + name));
    return stop(child, graceSeconds);
  }

  /**
   * Stops the named children together (all are asked at once, so that their graceful shutdowns
   * overlap) and waits until each has exited. Unknown names are ignored.
   */
  void stop(List<String> names, long graceSeconds) {
    List<Child> targets = names.stream().map(this::get).flatMap(Optional::stream).toList();
    targets.forEach(c -> {
      closeStdin(c);
      c.process().destroy();
    });
    targets.forEach(c -> stop(c, graceSeconds));
  }

  /**
   * Kills one child hard, as {@code kill -9} would: SIGKILL to its descendants and itself, so that no
   * shutdown hook runs (it cannot deregister). Returns once it is gone (or after {@code waitSeconds}).
   */
  void kill(String name, long waitSeconds) {
    Process p = get(name).orElseThrow(() -> new IllegalArgumentException("no such child: " + name)).process();
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(waitSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int stop(Child child, long graceSeconds) {
    Process p = child.process();
    try {
      p.destroy();
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(graceSeconds, TimeUnit.SECONDS);
      }
      return p.isAlive() ? -1 : p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return -1;
    }
  }

  private static void closeStdin(Child c) {
    try {
      c.process().getOutputStream().close();
    } catch (IOException e) {
      // already closed: the child is going anyway
    }
  }
}
