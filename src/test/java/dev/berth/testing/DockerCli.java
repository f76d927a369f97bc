package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code docker} command line, for tests that check what Berth did to the real engine
 * independently of Berth's own docker-java client.
 */
public final class DockerCli {

    private static final long TIMEOUT_SECONDS = 60;

    private DockerCli() {
    }

    /** Runs {@code docker <args>} and returns what it printed, stripped; failures print too. */
    public static String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** The whitespace-separated words {@code docker <args>} printed, e.g. container ids. */
    public static List<String> words(String... args) {
        String output = run(args);
        return output.isEmpty() ? List.of() : List.of(output.split("\\s+"));
    }

    /** The ids of all containers, running or not, labelled with this container instance id. */
    public static List<String> containersOfInstance(String instanceId) {
        return words("ps", "-aq", "--filter", "label=dev.berth.instance-id=" + instanceId);
    }

    /** Removes every container labelled with this container instance id: a test's own cleanup. */
    public static void removeContainersOfInstance(String instanceId) {
        for (String id : containersOfInstance(instanceId)) {
            run("rm", "-f", id);
        }
    }
}
