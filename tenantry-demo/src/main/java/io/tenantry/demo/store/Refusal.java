package io.tenantry.demo.store;

/**
 * A business rule refused an operation on the books (not enough money in a wallet, an order that is not
 * in the state the operation needs): the caller's answer is a 409 with {@link #type()}, and whatever the
 * operation wrote in its transaction is rolled back. Carries no stack trace: it is expected.
 */
public final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String type;

  public Refusal(String type, String detail) {
    super(detail, null, false, false);
    this.type = type;
  }

  /** The problem type's last segment, e.g. {@code insufficient-funds}. */
  public String type() {
    return type;
  }
}
