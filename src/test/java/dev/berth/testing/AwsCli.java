package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI ({@code aws}, Debian's {@code awscli}) pointed at a test's ECS endpoint with
 * dummy credentials, for end-to-end tests that check what the CLI prints.
 *
 * <pre>{@code
 * AwsCli cli = AwsCli.at(endpoint, "AKIDCLI");
 * JsonNode out = cli.ok("ecs", "list-clusters");            // exit 0, stdout as JSON
 * AwsCli.Run failed = cli.run("ecs", "delete-cluster", "--cluster", "nope");
 * }</pre>
 */
public final class AwsCli {

    private static final long TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String accessKeyId;

    private AwsCli(String endpoint, String accessKeyId) {
        this.endpoint = endpoint;
        this.accessKeyId = accessKeyId;
    }

    public static AwsCli at(URL endpoint, String accessKeyId) {
        return new AwsCli(endpoint.toString(), accessKeyId);
    }

    /** What one run of the CLI did. */
    public record Run(int exitCode, String stdout, String stderr) {
    }

    /** The CLI's executable: {@code aws} on the PATH, else Debian's {@code /usr/bin/aws}. */
    public static String executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "aws");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return "/usr/bin/aws";
        }
        throw new IllegalStateException("The AWS CLI is not installed: apt-get install -y awscli "
                + "(src/main/sh/prerequisites.sh installs it)");
    }

    public Run run(String... args) {
        List<String> command = new ArrayList<>(List.of(executable()));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", endpoint, "--region", "us-east-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", accessKeyId);
        env.put("AWS_SECRET_ACCESS_KEY", "berth-test-secret");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_PROFILE");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_PAGER", "");
        env.put("AWS_MAX_ATTEMPTS", "1");
        try {
            Path out = Files.createTempFile("aws-cli", ".out");
            Path err = Files.createTempFile("aws-cli", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("aws " + String.join(" ", args) + " did not end within "
                            + TIMEOUT_SECONDS + "s");
                }
                return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the AWS CLI", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the AWS CLI ran", e);
        }
    }

    /** Runs the CLI, requires exit code 0 and answers its output as JSON (an empty object when it printed none). */
    public JsonNode ok(String... args) {
        Run run = run(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " exited with " + run.exitCode() + ": "
                    + run.stderr());
        }
        try {
            return run.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(run.stdout());
        } catch (IOException e) {
            throw new AssertionError("aws " + String.join(" ", args) + " printed no JSON: " + run.stdout(), e);
        }
    }
}
