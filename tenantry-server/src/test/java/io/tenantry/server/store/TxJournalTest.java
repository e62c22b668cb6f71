package io.tenantry.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's records come back whole and in order after a reopen, a torn tail is cut off, segments go when released. */
class TxJournalTest {
  @TempDir
  Path dir;

  private final List<String> replayed = new ArrayList<>();

  private TxJournal open(long after) {
    replayed.clear();
    return TxJournal.open(dir, after, (seq, bytes) -> replayed.add(seq + ":" + new String(bytes, StandardCharsets.UTF_8)));
  }

  private static long append(TxJournal j, String text) {
    long seq = j.enqueue(text.getBytes(StandardCharsets.UTF_8));
    j.flush(seq);
    return seq;
  }

  @Test
  void records_comeBackInOrder_afterTheGivenPosition_andNumberingGoesOn() {
    try (TxJournal j = open(0)) {
      assertThat(append(j, "a")).isEqualTo(1);
      assertThat(append(j, "b")).isEqualTo(2);
      assertThat(append(j, "c")).isEqualTo(3);
    }
    try (TxJournal j = open(0)) {
      assertThat(replayed).containsExactly("1:a", "2:b", "3:c");
      assertThat(append(j, "d")).isEqualTo(4);
    }
    try (TxJournal j = open(2)) {
      assertThat(replayed).containsExactly("3:c", "4:d");
    }
  }

  @Test
  void numbering_goesOnAfterAPositionTheCallerHolds_evenWithoutFiles() {
    try (TxJournal j = open(41)) {
      assertThat(replayed).isEmpty();
      assertThat(append(j, "x")).isEqualTo(42);
    }
  }

  @Test
  void aTornTail_isCutOff_andWritingGoesOnAfterTheLastWholeRecord() throws IOException {
    try (TxJournal j = open(0)) {
      append(j, "whole");
    }
    Path segment = onlySegment();
    long whole = Files.size(segment);
    // a crash in the middle of a write: a header that promises more than follows
    Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 2, 'h', 'a'}, StandardOpenOption.APPEND);

    try (TxJournal j = open(0)) {
      assertThat(replayed).containsExactly("1:whole");
      assertThat(Files.size(segment)).isEqualTo(whole);
      assertThat(append(j, "next")).isEqualTo(2);
    }
    try (TxJournal j = open(0)) {
      assertThat(replayed).containsExactly("1:whole", "2:next");
    }
  }

  @Test
  void aRecordWhoseChecksumIsWrong_endsTheJournal() throws IOException {
    try (TxJournal j = open(0)) {
      append(j, "first");
      append(j, "second");
    }
    Path segment = onlySegment();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 1; // the last byte of "second"
    Files.write(segment, bytes);

    try (TxJournal j = open(0)) {
      assertThat(replayed).containsExactly("1:first");
    }
  }

  @Test
  void anOversizedRecord_isRefused() {
    try (TxJournal j = open(0)) {
      assertThatThrownBy(() -> j.enqueue(new byte[TxJournal.MAX_RECORD + 1]))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }
  }

  @Test
  void segments_roll_andThoseReleasedAreDeleted_whileTheRestStillReplays() throws IOException {
    try (TxJournal j = TxJournal.open(dir, 0, (s, b) -> {}, 100)) {
      for (int i = 1; i <= 20; i++) {
        append(j, "record-number-" + i + "-with-some-length");
      }
      assertThat(segments()).hasSizeGreaterThan(3);
      j.release(10);
    }
    try (TxJournal j = open(10)) {
      assertThat(replayed).hasSize(10);
      assertThat(replayed.get(0)).startsWith("11:");
    }
    // nothing before the oldest kept segment is needed any more: what is left begins at or before record 11
    try (Stream<Path> files = Files.list(dir)) {
      long firstKept = files.map(p -> Long.parseLong(p.getFileName().toString().substring(0, 20))).min(Long::compare).orElseThrow();
      assertThat(firstKept).isBetween(2L, 11L);
    }
  }

  @Test
  void concurrentWriters_eachFindTheirRecordWrittenOnce_inNumberOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
    try (TxJournal j = open(0)) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            seqs.add(append(j, thread + "/" + i));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    try (TxJournal j = open(0)) {
      assertThat(replayed).hasSize(4000);
      for (int i = 0; i < replayed.size(); i++) {
        assertThat(replayed.get(i)).startsWith((i + 1) + ":");
      }
      assertThat(seqs).doesNotHaveDuplicates().hasSize(4000);
    }
  }

  private Path onlySegment() throws IOException {
    List<Path> all = segments();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
