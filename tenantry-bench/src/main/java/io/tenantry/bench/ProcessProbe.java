package io.tenantry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a server process costs from outside it: CPU time and resident memory from {@code /proc},
 * the heap after a full collection through {@code jcmd}. Linux only. Thread-safe (stateless reads).
 */
final class ProcessProbe {
  /** JDK 17: "heap total 262144K, used 1234K"; JDK 25: "heap total reserved 6291456K, committed 262144K, used 1234K". */
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used\\s+(\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");

  private final long pid;
  private final long nanosPerTick;

  ProcessProbe(long pid) {
    this.pid = pid;
    this.nanosPerTick = 1_000_000_000L / clockTicksPerSecond();
  }

  long pid() {
    return pid;
  }

  /** User plus system CPU time of the whole process so far, all threads, in nanoseconds. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name in field 2 may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * nanosPerTick;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the CPU time of process " + pid, e);
    }
  }

  /**
   * CPU time of the JIT compiler threads alive now ({@code C1/C2 CompilerThread*}), in nanoseconds: how
   * much of {@link #cpuNanos()} went to compiling. Compiler threads that already exited are not counted.
   */
  long jitCpuNanos() {
    long ticks = 0;
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
            String stat = Files.readString(task.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // the thread exited while we looked
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * nanosPerTick;
  }

  /** Resident set size in bytes. */
  long rssBytes() {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      if (!m.find()) {
        throw new IllegalStateException("no VmRSS for process " + pid);
      }
      return Long.parseLong(m.group(1)) * 1024;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the memory of process " + pid, e);
    }
  }

  /** Heap in use right after a full collection that {@code jcmd GC.run} asked for; empty if jcmd fails. */
  OptionalLong heapUsedAfterFullGc() {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    if (run(jcmd, Long.toString(pid), "GC.run") == null) {
      return OptionalLong.empty();
    }
    String info = run(jcmd, Long.toString(pid), "GC.heap_info");
    if (info == null) {
      return OptionalLong.empty();
    }
    Matcher m = HEAP_USED.matcher(info);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static long clockTicksPerSecond() {
    String out = run("getconf", "CLK_TCK");
    try {
      return out == null ? 100 : Long.parseLong(out.trim());
    } catch (NumberFormatException e) {
      return 100;
    }
  }
}
