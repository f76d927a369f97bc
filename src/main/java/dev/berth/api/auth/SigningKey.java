package dev.berth.api.auth;

/**
 * The one access key pair the API accepts. {@link #toString()} never shows the secret, so a
 * key that reaches a log line does not leak it.
 */
public record SigningKey(String accessKeyId, String secretAccessKey) {

    public SigningKey {
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("the access key id is empty");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("the secret access key is empty");
        }
    }

    @Override
    public String toString() {
        return "SigningKey[accessKeyId=" + accessKeyId + ", secretAccessKey=****]";
    }
}
