package dev.berth.api.auth;

/**
 * Ends a verification early inside this package; {@link SigV4Verifier#verify} turns it into
 * an {@link AuthRejection} value, so it never reaches a caller.
 */
final class Refusal extends RuntimeException {

    private final transient AuthRejection rejection;

    Refusal(AuthErrorType type, String message) {
        super(message, null, false, false);
        this.rejection = new AuthRejection(type, message);
    }

    AuthRejection rejection() {
        return rejection;
    }
}
