package dev.berth.agent.introspection;

import dev.berth.agent.disk.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The last segment of a container's {@code ECS_CONTAINER_METADATA_URI_V4}: an HMAC of its task
 * id and container name under a secret of this host, so a container cannot guess another
 * one's endpoint, and the same container gets the same endpoint after an agent restart
 * without the agent keeping a table. The secret is made once and kept in
 * {@code <data dir>/agent/metadata-secret}.
 */
public final class MetadataTokens {

    private static final String HMAC = "HmacSHA256";
    /** 128 bits of the HMAC are plenty for a name that is not guessable. */
    private static final int TOKEN_BYTES = 16;
    private static final int SECRET_BYTES = 32;

    private final byte[] secret;

    public MetadataTokens(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The secret kept under {@code dataDir}, made on first use. */
    public static MetadataTokens loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("agent").resolve("metadata-secret");
        try {
            if (Files.exists(file)) {
                return new MetadataTokens(HexFormat.of().parseHex(Files.readString(file, StandardCharsets.UTF_8).trim()));
            }
            byte[] secret = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            AtomicFile.replace(file, (HexFormat.of().formatHex(secret) + "\n").getBytes(StandardCharsets.UTF_8),
                    AtomicFile.Survives.HOST_CRASH);
            return new MetadataTokens(secret);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot keep the task metadata secret in " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The token of one container of one task. */
    public String token(String taskId, String containerName) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            byte[] digest = mac.doFinal((taskId + "/" + containerName).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, TOKEN_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC, e);
        }
    }
}
