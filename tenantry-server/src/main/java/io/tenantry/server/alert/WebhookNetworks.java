package io.tenantry.server.alert;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * Which addresses the control plane may deliver webhooks to ({@code alert.webhook-networks}). A webhook's URL is
 * written by a namespace's admin, not by the platform's operator: left unchecked, it would let a namespace make the
 * control plane call what only the control plane can reach (its host's loopback services, the cloud's instance
 * metadata at 169.254.169.254, the private network), server-side request forgery. Every address the URL's host
 * resolves to is checked before each delivery.
 */
public enum WebhookNetworks {
  /** Public addresses only: no loopback, private, link-local, unique-local, multicast or unspecified one. */
  PUBLIC,
  /** Also loopback, private and unique-local addresses (an on-premises receiver); still no link-local one. */
  PRIVATE,
  /** Any address (for a trusted set of namespace admins). */
  ANY;

  /** {@code public}, {@code private} or {@code any}. */
  public static WebhookNetworks of(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("alert.webhook-networks: '" + text + "' (expected: public, private or any)");
    }
  }

  /** Why a webhook may not go to {@code address} under this setting, or null if it may. */
  public String refusal(InetAddress address) {
    if (this == ANY) {
      return null;
    }
    if (address.isLinkLocalAddress()) {
      return "link-local (as the cloud's instance metadata)";
    }
    if (address.isMulticastAddress() || address.isAnyLocalAddress()) {
      return "not a unicast address";
    }
    if (this == PRIVATE) {
      return null;
    }
    if (address.isLoopbackAddress()) {
      return "loopback";
    }
    if (address.isSiteLocalAddress() || address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) {
      return "private";
    }
    return null;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
