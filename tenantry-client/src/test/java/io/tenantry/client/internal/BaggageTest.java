package io.tenantry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaggageTest {
  @Test
  void tenant_readsTheMemberAmongOthers() {
    assertThat(Baggage.tenant("tenant.id=acme")).isEqualTo("acme");
    assertThat(Baggage.tenant("userId=alice, tenant.id = acme ;prop=1, serverNode=DF%2028")).isEqualTo("acme");
    assertThat(Baggage.tenant("a=1,tenant.id=ac%6De")).isEqualTo("acme");
  }

  @Test
  void tenant_missingOrMalformed_isNull() {
    assertThat(Baggage.tenant(null)).isNull();
    assertThat(Baggage.tenant("")).isNull();
    assertThat(Baggage.tenant("userId=alice")).isNull();
    assertThat(Baggage.tenant(",,,;;;===")).isNull();
    assertThat(Baggage.tenant("tenant.id")).isNull();
    assertThat(Baggage.tenant("tenant.idx=acme")).isNull();
  }

  @Test
  void tenant_badPercentEscape_isKeptRawForValidationToRefuse() {
    assertThat(Baggage.tenant("tenant.id=%zz")).isEqualTo("%zz");
  }

  @Test
  void tenant_hostileHeaders_areNotParsed() {
    assertThat(Baggage.tenant("a=" + "x".repeat(Baggage.MAX_LENGTH) + ",tenant.id=acme")).isNull();
    String many = "k=v,".repeat(Baggage.MAX_MEMBERS + 5) + "tenant.id=acme";
    assertThat(many.length()).isLessThan(Baggage.MAX_LENGTH);
    assertThat(Baggage.tenant(many)).isNull();
  }

  @Test
  void merge_withoutExisting_isTheTenantAlone() {
    assertThat(Baggage.merge(null, "acme")).isEqualTo("tenant.id=acme");
    assertThat(Baggage.merge("  ", "acme")).isEqualTo("tenant.id=acme");
  }

  @Test
  void merge_replacesTheTenantAndKeepsTheRestInOrder() {
    assertThat(Baggage.merge("userId=alice,tenant.id=old;p=1, isProduction=false", "acme"))
        .isEqualTo("tenant.id=acme,userId=alice,isProduction=false");
  }

  @Test
  void merge_dropsBlankMembers() {
    assertThat(Baggage.merge(",,a=1,,", "acme")).isEqualTo("tenant.id=acme,a=1");
  }

  @Test
  void merge_hugeExisting_staysWithinLimits_andKeepsTheTenant() {
    String huge = ("k=" + "v".repeat(100) + ",").repeat(200);
    String merged = Baggage.merge(huge, "acme");
    assertThat(merged.length()).isLessThanOrEqualTo(Baggage.MAX_LENGTH);
    assertThat(merged).startsWith("tenant.id=acme,");
    assertThat(Baggage.tenant(merged)).isEqualTo("acme");
  }

  @Test
  void merge_tooManyMembers_isCapped() {
    String many = "k=v,".repeat(500);
    assertThat(Baggage.keys(Baggage.merge(many, "acme"))).hasSize(Baggage.MAX_MEMBERS);
  }

  @Test
  void merge_stopsAtControlCharacters() {
    assertThat(Baggage.merge("a=1,b=\r\nInjected: yes,c=3", "acme")).isEqualTo("tenant.id=acme,a=1");
  }
}
