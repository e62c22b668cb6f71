package io.tenantry.server;

/** The configuration cannot be used; the message says what was wrong and what to do. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
