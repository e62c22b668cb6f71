package io.tenantry.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.demo.Options.Spec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final List<Spec> SPECS = List.of(
      Spec.of("fail-rate", "0..1", "0.3", "share"),
      Spec.of("kill", "instance", null, "kill"),
      Spec.of("duration", "duration", null, "how long"),
      Spec.flag("help", "help"));

  @Test
  void parse_acceptsBothForms_repeats_andDefaults() {
    Options o = Options.parse(new String[] {"--kill", "payment-1", "--kill=user-2", "--duration=30s"}, SPECS);

    assertThat(o.all("kill")).containsExactly("payment-1", "user-2");
    assertThat(o.duration("duration")).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.fraction("fail-rate")).isEqualTo(0.3);
    assertThat(o.flag("help")).isFalse();
  }

  @Test
  void parse_refusesUnknownOptions_andMissingValues() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--fial-rate=1"}, SPECS))
        .isInstanceOf(UsageException.class).hasMessageContaining("--fial-rate").hasMessageContaining("--fail-rate");
    assertThatThrownBy(() -> Options.parse(new String[] {"--kill"}, SPECS))
        .isInstanceOf(UsageException.class).hasMessageContaining("--kill: missing value");
    assertThatThrownBy(() -> Options.parse(new String[] {"stray"}, SPECS))
        .isInstanceOf(UsageException.class).hasMessageContaining("stray");
  }

  @Test
  void values_areChecked() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--fail-rate=1.5"}, SPECS).fraction("fail-rate"))
        .hasMessage("--fail-rate: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> Options.parse(new String[] {"--duration=soon"}, SPECS).duration("duration"))
        .hasMessageContaining("expected: a duration");
    assertThat(Options.parseDuration("d", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Options.parseDuration("d", "2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Options.parseDuration("d", "7")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void help_explainsEveryOption() {
    String help = Options.help("x [options]", "does x", SPECS);

    assertThat(help).contains("--fail-rate <0..1>", "(default: 0.3)", "--kill <instance>", "--help");
  }
}
