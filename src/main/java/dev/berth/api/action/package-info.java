/**
 * One class per ECS operation: parse the request shape, call the scheduler's control plane,
 * build the response shape. Actions throw {@code EcsException} for client errors; the
 * dispatcher turns every failure into an ECS error body, never a stack trace.
 */
package dev.berth.api.action;
