package io.tenantry.server.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class WebhookNetworksTest {
  private static String refusal(WebhookNetworks n, String address) throws Exception {
    return n.refusal(InetAddress.getByName(address));
  }

  @Test
  void public_refusesEveryNonPublicAddress() throws Exception {
    for (String a : new String[] {"127.0.0.1", "127.9.9.9", "::1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
        "169.254.169.254", "fe80::1", "fd00::1", "0.0.0.0", "::", "224.0.0.1", "::ffff:127.0.0.1"}) {
      assertThat(refusal(WebhookNetworks.PUBLIC, a)).as(a).isNotNull();
    }
    for (String a : new String[] {"8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "11.0.0.1"}) {
      assertThat(refusal(WebhookNetworks.PUBLIC, a)).as(a).isNull();
    }
  }

  @Test
  void private_allowsLoopbackAndPrivate_butNotLinkLocal() throws Exception {
    for (String a : new String[] {"127.0.0.1", "::1", "10.1.2.3", "192.168.1.1", "fd00::1", "8.8.8.8"}) {
      assertThat(refusal(WebhookNetworks.PRIVATE, a)).as(a).isNull();
    }
    assertThat(refusal(WebhookNetworks.PRIVATE, "169.254.169.254")).contains("link-local");
    assertThat(refusal(WebhookNetworks.PRIVATE, "fe80::1")).contains("link-local");
    assertThat(refusal(WebhookNetworks.ANY, "169.254.169.254")).isNull();
  }

  @Test
  void of_readsTheSettingOrSaysWhatIsExpected() {
    assertThat(WebhookNetworks.of(" Private ")).isEqualTo(WebhookNetworks.PRIVATE);
    assertThatThrownBy(() -> WebhookNetworks.of("intranet")).hasMessageContaining("expected: public, private or any");
    assertThatThrownBy(() -> WebhookNetworks.of(null)).hasMessageContaining("alert.webhook-networks");
  }
}
