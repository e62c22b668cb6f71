package io.tenantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "shop", "order-v2", "a1", "0abc"})
  void name_acceptsDnsLabels(String value) {
    assertThat(Names.name("name", value)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "Shop", "a_b", "../etc", "a b", "ü", "a\u0000", "x'; drop table t;--"})
  void name_rejectsEverythingElse(String value) {
    assertThatThrownBy(() -> Names.name("name", value))
        .isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("name: ")
        .hasMessageContaining("expected:");
  }

  @Test
  void name_rejectsTooLongAndMissing() {
    assertThatThrownBy(() -> Names.name("tenant", "a".repeat(64))).hasMessageContaining("1 to 63");
    assertThatThrownBy(() -> Names.name("tenant", null)).hasMessageStartingWith("tenant: missing");
  }

  @Test
  void errorMessages_neverEchoControlCharactersOrHugeValues() {
    assertThatThrownBy(() -> Names.id("id", "\n" + "x".repeat(10_000)))
        .satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain("\n");
          assertThat(e.getMessage().length()).isLessThan(200);
        });
  }

  @Test
  void port_andWeight_areBounded() {
    assertThat(Names.port("port", 8080)).isEqualTo(8080);
    assertThatThrownBy(() -> Names.port("port", 0)).hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> Names.port("port", 65_536)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Names.weight("weight", -1)).hasMessage("weight: -1 (expected: 0..10000)");
  }

  @Test
  void labels_areBoundedInCountKeysAndValues() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= Names.MAX_LABELS; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> Names.labels("labels", many)).hasMessageContaining("at most 32");
    assertThatThrownBy(() -> Names.labels("labels", Map.of("bad key", "v"))).hasMessageStartingWith("labels key");
    assertThatThrownBy(() -> Names.labels("labels", Map.of("k", "v".repeat(256)))).hasMessageStartingWith("labels.k");
    assertThat(Names.labels("labels", null)).isEmpty();
    assertThat(Names.labels("labels", Map.of("app.io/name", "order"))).containsEntry("app.io/name", "order");
  }

  @Test
  void validationException_exposesFieldAndReason() {
    ValidationException e = new ValidationException("port", "0 (expected: 1..65535)");
    assertThat(e.field()).isEqualTo("port");
    assertThat(e.reason()).isEqualTo("0 (expected: 1..65535)");
  }
}
