package dev.berth.kafka;

/**
 * The embedded broker could not start or stop. The message is one line meant for the
 * operator; the cause, if any, is for DEBUG logs.
 */
public class EmbeddedKafkaException extends RuntimeException {

    EmbeddedKafkaException(String message) {
        super(message);
    }

    EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
