/**
 * The ECS JSON 1.1 API (DESIGN.md §4): one endpoint, a dispatcher from
 * {@code X-Amz-Target} to one {@link dev.berth.api.EcsAction} per operation
 * ({@code dev.berth.api.action}), and the ECS response shapes ({@code dev.berth.api.shape}).
 *
 * <p>Invariants: never imports {@code dev.berth.agent}; every answer is ECS JSON (errors
 * are {@code {"__type", "message"}}, 400 for the caller's mistakes, 500 for Berth's, 503
 * while the scheduler is not ready); timestamps are epoch seconds (the
 * {@link dev.berth.protocol.RecordCodec#newMapper()} conventions).
 */
package dev.berth.api;
