package io.tenantry.api.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class XidsTest {
  @Test
  void isXid_agreesWithThePattern() {
    String good = "0190a1b2c3d4" + "00000000000000000042";
    List<String> values = List.of(good, good.toUpperCase(), good.substring(1), good + "0", "", " ".repeat(32),
        good.replace('a', 'g'), good.replace('4', '/'), good.replace('4', ':'), good.replace('a', '`'),
        good.replace('0', '\u0660'), "ffffffffffffffffffffffffffffffff");
    for (String v : values) {
      assertThat(Xids.isXid(v)).as(v).isEqualTo(Xids.XID.matcher(v).matches());
    }
    assertThat(Xids.isXid(good)).isTrue();
    assertThat(Xids.isXid(null)).isFalse();
  }

  @Test
  void xid_refusesAMalformedOne_namingTheField() {
    assertThatThrownBy(() -> Xids.xid("xid", "0190A1B2")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("32 lower-case hex characters");
  }
}
