package io.tenantry.api;

/**
 * A value broke a rule of the wire model. Carries the offending field so that the control plane can
 * point at it in a problem+json answer.
 */
public final class ValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  public ValidationException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The JSON field (or path/query parameter) that was wrong, e.g. {@code labels.zone}. */
  public String field() {
    return field;
  }

  /** The message without the leading field name. */
  public String reason() {
    return getMessage().substring(field.length() + 2);
  }
}
