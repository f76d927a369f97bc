package dev.berth.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The binary's entry point: {@code --version} answers without starting anything; everything
 * else starts Berth with the roles its configuration names.
 */
@QuarkusMain
public final class BerthMain {

    private BerthMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && ("--version".equals(args[0]) || "-v".equals(args[0]))) {
            System.out.println(BuildInfo.load().describe());
            return;
        }
        Quarkus.run(args);
    }
}
