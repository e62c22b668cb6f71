package io.tenantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcInstantsTest {
  private static final ObjectMapper WIRE = Json.newMapper();
  private static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule());
  private static final ObjectMapper JACKSON_TEXT = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  @Test
  void whatTheWireWrites_isReadAsJacksonReadsIt() throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
          i % 4 == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, i % 9));
      String json = WIRE.writeValueAsString(t);

      assertThat(UtcInstantDeserializer.parse(t.toString())).isEqualTo(t);
      assertThat(WIRE.readValue(json, Instant.class)).isEqualTo(t).isEqualTo(JACKSON.readValue(json, Instant.class));
    }
  }

  @Test
  void written_asInstantToStringWritesIt() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    List<Instant> edges = List.of(Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("-0001-12-31T23:59:59Z"), Instant.ofEpochSecond(0, 1), Instant.ofEpochSecond(0, 1_000),
        Instant.ofEpochSecond(0, 1_000_000), Instant.ofEpochSecond(0, 100_000_000), Instant.MIN, Instant.MAX);
    for (Instant t : edges) {
      assertThat(WIRE.writeValueAsString(t)).as(t.toString()).isEqualTo("\"" + t + "\"");
    }
    for (int i = 0; i < 20_000; i++) {
      long nanos = random.nextInt(1_000_000_000);
      nanos = i % 3 == 0 ? nanos / 1_000_000 * 1_000_000 : i % 3 == 1 ? nanos / 1_000 * 1_000 : nanos;
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), i % 10 == 0 ? 0 : nanos);
      assertThat(UtcInstantSerializer.format(t)).isEqualTo(t.toString());
      assertThat(WIRE.writeValueAsString(t)).isEqualTo(JACKSON_TEXT.writeValueAsString(t));
    }
  }

  @Test
  void everyFractionLength_andLeapDays() {
    assertThat(UtcInstantDeserializer.parse("2024-02-29T23:59:59Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    String base = "2026-05-01T12:00:00.";
    for (String f = "1"; f.length() <= 9; f = f + (f.length() + 1)) {
      assertThat(UtcInstantDeserializer.parse(base + f + "Z")).as(f).isEqualTo(Instant.parse(base + f + "Z"));
    }
  }

  @Test
  void anythingElse_isLeftToJackson_whichAcceptsOrRefusesItAsBefore() throws IOException {
    for (String s : List.of("2026-05-01T12:00:00+02:00", "2026-05-01T12:00:00.5+00:00", "2026-05-01t12:00:00z",
        "+12026-05-01T12:00:00Z", "2026-05-01T12:00:00.Z", "2026-02-30T12:00:00Z", "2026-05-01T24:00:00Z",
        "2026-05-01T12:00:00.1234567890Z", "2026-5-01T12:00:00Z", "tomorrow", "")) {
      assertThat(UtcInstantDeserializer.parse(s)).as(s).isNull();
      String json = "\"" + s + "\"";
      Instant expected;
      try {
        expected = JACKSON.readValue(json, Instant.class);
      } catch (IOException e) {
        assertThatThrownBy(() -> WIRE.readValue(json, Instant.class)).as(s).isInstanceOf(IOException.class);
        continue;
      }
      assertThat(WIRE.readValue(json, Instant.class)).as(s).isEqualTo(expected);
    }
    assertThat(WIRE.readValue("1700000000.5", Instant.class)).isEqualTo(JACKSON.readValue("1700000000.5", Instant.class));
  }
}
