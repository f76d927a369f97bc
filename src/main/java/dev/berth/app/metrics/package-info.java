/**
 * Micrometer meters for Prometheus, with small fixed label sets (never task ids). The pure
 * packages report through small observer interfaces or plain getters read here, so they
 * import no Micrometer type.
 */
package dev.berth.app.metrics;
