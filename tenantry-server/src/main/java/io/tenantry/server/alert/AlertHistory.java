package io.tenantry.server.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One page of a namespace's alert events, newest first.
 *
 * @param next the {@code before} to ask for the next (older) page with; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertHistory(List<AlertEvent> items, Long next) {
  public AlertHistory {
    items = List.copyOf(items);
  }
}
