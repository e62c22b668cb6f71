package io.tenantry.api;

import java.util.List;

/**
 * A list and the namespace revision it was taken at: a watch from {@code revision} sees every later
 * change and none it already holds.
 */
public record ListResult<T>(long revision, List<T> items) {
  public ListResult {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
