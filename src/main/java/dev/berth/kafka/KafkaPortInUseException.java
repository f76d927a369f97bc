package dev.berth.kafka;

/** A listener port of the embedded broker is taken by another process. */
public final class KafkaPortInUseException extends EmbeddedKafkaException {

    private final int port;

    KafkaPortInUseException(String host, int port, String property) {
        super("Cannot start the embedded Kafka broker: " + host + ":" + port
                + " is already in use (set " + property + " to a free port, or stop what holds it)");
        this.port = port;
    }

    /** The port that could not be bound. */
    public int port() {
        return port;
    }
}
