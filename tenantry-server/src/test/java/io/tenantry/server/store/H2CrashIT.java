package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tenantry.api.tx.TxMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded H2 store answered as committed is there after the process dies at once: a child JVM writes a
 * transaction log record and halts (no shutdown hooks, no close), and the store reopened here finds it.
 */
class H2CrashIT {
  @TempDir
  Path dataDir;

  @Test
  void aLogWriteAnsweredAsDurable_survivesAHaltedProcess() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), WriteAndHalt.class.getName(), dataDir.toString())
        .inheritIO().start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).as("halted after the write returned").isEqualTo(42);

    try (Store store = JdbcStore.open(StoreSettings.h2File(dataDir))) {
      assertThat(store.transactions().get("shop", TxStoreContract.xid(1))).isPresent();
    }
  }

  /** The child: opens the store, writes one begin, and halts the JVM as soon as the write returned. */
  public static final class WriteAndHalt {
    public static void main(String[] args) {
      Store store = JdbcStore.open(StoreSettings.h2File(Path.of(args[0])));
      store.namespaces().insert(StoreContract.ns("shop"));
      store.transactions().write(List.of(new TxWrite.Begin(
          TxStoreContract.active("shop", TxStoreContract.xid(1), TxMode.TCC, TxStoreContract.T0))));
      Runtime.getRuntime().halt(42);
    }
  }
}
