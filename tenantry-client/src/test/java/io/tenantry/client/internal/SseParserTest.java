package io.tenantry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private static List<SseParser.Event> parse(SseParser p, String... lines) throws IOException {
    List<SseParser.Event> out = new ArrayList<>();
    for (String l : lines) {
      SseParser.Event e = p.line(l);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void parsesFields_commentsAndMultiLineData() throws IOException {
    List<SseParser.Event> events = parse(new SseParser(1000), ": keep-alive", "", "id: 7", "event: ADDED",
        "data: {\"a\":", "data: 1}", "", "id:8", "event:BOOKMARK", "data:{}", "retry: 10", "");
    assertThat(events).containsExactly(new SseParser.Event("7", "ADDED", "{\"a\":\n1}"),
        new SseParser.Event("8", "BOOKMARK", "{}"));
  }

  @Test
  void oversizedData_fails() {
    SseParser p = new SseParser(10);
    assertThatThrownBy(() -> parse(p, "data: 0123456789abc")).isInstanceOf(IOException.class);
  }
}
