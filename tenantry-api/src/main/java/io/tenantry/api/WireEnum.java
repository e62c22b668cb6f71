package io.tenantry.api;

import java.util.Arrays;

/** An enum of the wire model whose constants have a wire name of their own ({@code pooled}, {@code platform-admin}). */
public interface WireEnum {
  /** The value as it appears on the wire. */
  String wire();

  /** The constant of {@code values} named {@code wire} on the wire, or a {@link ValidationException} listing the allowed ones. */
  static <E extends Enum<E> & WireEnum> E parse(E[] values, String field, String wire) {
    for (E v : values) {
      if (v.wire().equals(wire)) {
        return v;
      }
    }
    throw new ValidationException(field, "'" + (wire == null ? "null" : Names.shorten(wire))
        + "' (expected: one of " + Arrays.stream(values).map(WireEnum::wire).toList() + ")");
  }
}
