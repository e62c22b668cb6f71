package io.tenantry.api.tx;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the coordinator sends a participant for phase two: {@code POST /.well-known/tenantry/tx} on an
 * instance of the branch's service, with {@code Authorization: Bearer <coordinator token>} (an EdDSA JWT
 * the SDK checks against the control plane's JWKS: audience {@code <namespace>/<service>}, and its
 * {@code xid}, {@code branch} and {@code phase} claims equal to these fields).
 *
 * <p>The participant answers 200 when the phase is done (also when it was done before, and for a cancel
 * of a try that never ran: an empty rollback), 409 ({@code application/problem+json}) when it can never be
 * done (a confirm after a cancel), anything else to be asked again later.
 */
public record PhaseTwoRequest(
    String namespace,
    String tenant,
    String xid,
    int branch,
    String service,
    String action,
    String key,
    BranchPhase phase,
    JsonNode data) {}
