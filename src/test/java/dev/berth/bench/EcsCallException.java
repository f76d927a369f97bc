package dev.berth.bench;

/** An ECS API call that did not succeed: the ECS error type, or how the connection failed. */
final class EcsCallException extends Exception {

    private final String type;

    EcsCallException(String type, String message) {
        super(type + ": " + message);
        this.type = type;
    }

    String type() {
        return type;
    }
}
