package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamParserTest {
  private final List<Integer> tokens = new ArrayList<>();
  private int subscriptions;
  private final StreamParser.Listener listener = new StreamParser.Listener() {
    @Override
    public void subscribed() {
      subscriptions++;
    }

    @Override
    public void token(int t, long now) {
      tokens.add(t);
    }
  };
  private final StreamParser.Scratch scratch = new StreamParser.Scratch();
  private final TokenFormat format = new TenantryWatch.DigitsToken("chg-".getBytes(StandardCharsets.US_ASCII));

  private void feed(StreamParser parser, String... pieces) throws IOException {
    for (String piece : pieces) {
      byte[] b = piece.getBytes(StandardCharsets.ISO_8859_1);
      parser.feed(b, b.length, 1, scratch);
    }
  }

  @Test
  void chunkedBody_tokensCutByChunkFramingAndReads_countOnceInOrder() throws IOException {
    StreamParser parser = new StreamParser(format, "\"created\":true".getBytes(StandardCharsets.US_ASCII), 10, listener);
    feed(parser, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n", "\r\n");
    assertThat(subscriptions).isZero();
    feed(parser, "e\r\n\"created\":true\r\n", "7\r\nid:chg-\r\n", "4;ext=1\r\n0000\r\n", "2\r\n02\r\n");
    feed(parser, "b\r\nchg-000001\r\n", "b\r\nchg-000003\r\n", "b\r\nch", "g-000003\r\n");

    assertThat(subscriptions).isEqualTo(1);
    assertThat(tokens).containsExactly(2, 3); // 1 came after 2 (older) and 3 repeated: neither counts
  }

  @Test
  void plainBody_subscribesOnA2xxStatus_andIgnoresTokensOutOfRange() throws IOException {
    StreamParser parser = new StreamParser(format, null, 5, listener);
    feed(parser, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n");
    assertThat(subscriptions).isEqualTo(1);
    feed(parser, "data: chg-000004\n\n", "data: chg-000007\n\n", "data: chg-00x001\n\n");
    assertThat(tokens).containsExactly(4);
  }

  @Test
  void errorStatus_failsWithTheBody() {
    StreamParser parser = new StreamParser(format, null, 5, listener);
    assertThatThrownBy(() -> feed(parser, "HTTP/1.1 403 Forbidden\r\nContent-Length: 9\r\n\r\nforbidden"))
        .isInstanceOf(IOException.class).hasMessage("watch answered 403: forbidden");
    assertThat(subscriptions).isZero();
  }
}
