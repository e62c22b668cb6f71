/**
 * Alerts of the control plane: the rules of {@code alert} policies evaluated over the statistics the SDKs
 * report ({@link io.tenantry.server.alert.AlertEvaluator}), their fired and resolved events kept through the
 * store, webhooks with retries ({@link io.tenantry.server.alert.WebhookNotifier}), and what the API reads
 * ({@link io.tenantry.server.alert.AlertService}).
 */
package io.tenantry.server.alert;
