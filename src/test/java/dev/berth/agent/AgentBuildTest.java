package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The agent reads the build's version and commit itself, without the app package. */
class AgentBuildTest {

    @Test
    void readsTheVersionAndCommitThatTheBuildWrote() {
        // Given: the build.properties that Maven filtered into the classes

        // When
        AgentBuild build = AgentBuild.load();

        // Then
        assertThat(build.version()).isNotEqualTo("unknown").doesNotContain("${");
        assertThat(build.commit()).doesNotContain("${");
        assertThat(build.describe()).isEqualTo("Berth Agent - v" + build.version() + " (" + build.commit() + ")")
                .as("the ECS agent's form, which tools read the version from").containsPattern("\\bv\\d+\\.\\d+\\.\\d+");
    }
}
