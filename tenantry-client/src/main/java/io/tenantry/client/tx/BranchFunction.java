package io.tenantry.client.tx;

import java.sql.Connection;

/**
 * One phase of a branch: a TCC try, confirm or cancel, or a saga step's action or compensation. It runs in ONE
 * local transaction of the participant's own database together with the branch's fence row, on
 * {@code connection} (auto-commit off; do not commit, roll back or close it): its changes and the fence row
 * commit together or not at all. Throwing rolls that local transaction back.
 *
 * @param <A> the branch's arguments, as registered (a Jackson-serialisable type)
 */
@FunctionalInterface
public interface BranchFunction<A> {
  void run(BranchContext context, Connection connection, A args) throws Exception;
}
