package dev.berth.api.auth;

/** Why a call was refused: the AWS exception name and the message the caller sees. */
public record AuthRejection(AuthErrorType type, String message) {
}
