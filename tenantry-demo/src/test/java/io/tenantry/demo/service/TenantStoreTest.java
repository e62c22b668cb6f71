package io.tenantry.demo.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantStoreTest {
  private final TenantStore<String> store = new TenantStore<>();

  @Test
  void get_neverFindsAnotherTenantsRecord() {
    store.putIfAbsent("acme", "u-1", "acme's user");

    assertThat(store.get("acme", "u-1")).contains("acme's user");
    assertThat(store.get("globex", "u-1")).isEmpty();
    assertThat(store.size("globex")).isZero();
  }

  @Test
  void sameId_inTwoTenants_areTwoRecords() {
    store.putIfAbsent("acme", "u-1", "a");
    store.putIfAbsent("globex", "u-1", "g");

    assertThat(store.get("acme", "u-1")).contains("a");
    assertThat(store.get("globex", "u-1")).contains("g");
  }

  @Test
  void putIfAbsent_keepsTheFirstValue() {
    assertThat(store.putIfAbsent("acme", "k", "first")).isEqualTo("first");
    assertThat(store.putIfAbsent("acme", "k", "second")).isEqualTo("first");
    assertThat(store.get("acme", "k")).contains("first");
    assertThat(store.size("acme")).isEqualTo(1);
  }
}
