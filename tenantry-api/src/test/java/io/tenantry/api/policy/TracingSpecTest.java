package io.tenantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tenantry.api.Json;
import io.tenantry.api.ValidationException;
import org.junit.jupiter.api.Test;

class TracingSpecTest {
  private static TracingSpec read(String spec) throws Exception {
    return (TracingSpec) PolicySpecs.parse(PolicyKind.TRACING, Json.newMapper().readTree(spec.replace('\'', '"')));
  }

  private static ValidationException refused(String spec) {
    return catchThrowableOfType(ValidationException.class, () -> read(spec));
  }

  @Test
  void ratioOf_tenantEntryFirstThenRatio() throws Exception {
    TracingSpec s = read("{'ratio':0.25,'tenants':{'acme':1.0,'loadtest':0}}");
    assertThat(s.ratioOf("acme")).isEqualTo(1.0);
    assertThat(s.ratioOf("loadtest")).isEqualTo(0.0);
    assertThat(s.ratioOf("globex")).isEqualTo(0.25);
    assertThat(s.ratioOf(null)).isEqualTo(0.25);
    assertThat(read("{'tenants':{'acme':1}}").ratioOf("globex")).isNull();
  }

  @Test
  void refusesRatiosOutsideZeroToOne() {
    assertThat(refused("{'ratio':1.5}").field()).isEqualTo("spec.ratio");
    assertThat(refused("{'ratio':-0.1}").field()).isEqualTo("spec.ratio");
    assertThat(refused("{'tenants':{'acme':2}}").field()).isEqualTo("spec.tenants.acme");
    assertThat(refused("{'ratio':'NaN'}")).isNotNull();
  }

  @Test
  void refusesBadTenantNamesNullsUnknownFieldsAndEmptySpecs() {
    assertThat(refused("{'tenants':{'Not A Name':1}}").field()).startsWith("spec.tenants");
    assertThat(refused("{'tenants':{'acme':null}}").field()).startsWith("spec.tenants");
    assertThat(refused("{'ratio':0.1,'rate':1}").field()).isEqualTo("spec.rate");
    assertThat(refused("{}").field()).isEqualTo("spec.ratio");
    assertThat(refused("{'ratio':[1]}")).isNotNull();
  }
}
