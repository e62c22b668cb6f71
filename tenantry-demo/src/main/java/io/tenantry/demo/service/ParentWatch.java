package io.tenantry.demo.service;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a child process when the process that started it is gone: when its stdin reaches end of file
 * (the parent closed the pipe or died) or when the parent process is no longer alive, whichever comes
 * first. Exiting runs the shutdown hooks, so the instance still deregisters. Daemon threads only.
 */
public final class ParentWatch {
  private static final Logger log = LoggerFactory.getLogger(ParentWatch.class);

  private ParentWatch() {}

  /** Starts both watches; {@code what} names this process in the log line. */
  public static void start(String what, Duration pollInterval) {
    Thread stdin = new Thread(() -> {
      try {
        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
          // input is ignored: only its end matters
        }
      } catch (IOException e) {
        // a broken pipe means the same as end of input
      }
      exit(what, "stdin closed");
    }, "parent-watch-stdin");
    stdin.setDaemon(true);
    stdin.start();

    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      return;
    }
    ProcessHandle p = parent.get();
    Thread poll = new Thread(() -> {
      try {
        while (p.isAlive()) {
          Thread.sleep(pollInterval.toMillis());
        }
        exit(what, "parent process " + p.pid() + " ended");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "parent-watch-pid");
    poll.setDaemon(true);
    poll.start();
  }

  private static void exit(String what, String why) {
    log.info("{}: {}, exiting", what, why);
    System.exit(0);
  }
}
