package dev.berth.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Exactly what runs: the version, the commit and the build time, written into the binary
 * by the build. Operators see it with {@code --version}, in the first log line, and in the
 * agent's {@code /v1/metadata}.
 */
public record BuildInfo(String version, String commit, String built) {

    private static final String RESOURCE = "/dev/berth/app/build.properties";

    public static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(properties.getProperty("version", "unknown"), properties.getProperty("commit", "unknown"),
                properties.getProperty("built", "unknown"));
    }

    /** {@code Berth 0.1.0 (commit 1a2b3c4d5e6f, built 2026-11-24T18:00:00Z)}. */
    public String describe() {
        return "Berth " + version + " (commit " + commit + ", built " + built + ")";
    }
}
