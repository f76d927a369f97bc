package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ECS_IMAGE_PULL_BEHAVIOR as the ECS agent reads it. */
class ImagePullBehaviorTest {

    @Test
    void defaultAndAlwaysPullEveryTimeButOnlyDefaultFallsBackToTheCachedImage() {
        assertThat(ImagePullBehavior.DEFAULT.pulls(true)).isTrue();
        assertThat(ImagePullBehavior.ALWAYS.pulls(true)).isTrue();
        assertThat(ImagePullBehavior.DEFAULT.fallsBackToCache(true)).isTrue();
        assertThat(ImagePullBehavior.DEFAULT.fallsBackToCache(false)).isFalse();
        assertThat(ImagePullBehavior.ALWAYS.fallsBackToCache(true)).isFalse();
        assertThat(ImagePullBehavior.DEFAULT.pullsCachedImages()).isTrue();
        assertThat(ImagePullBehavior.ALWAYS.pullsCachedImages()).isTrue();
    }

    @Test
    void onceAndPreferCachedPullOnlyAMissingImage() {
        assertThat(ImagePullBehavior.ONCE.pulls(true)).isFalse();
        assertThat(ImagePullBehavior.ONCE.pulls(false)).isTrue();
        assertThat(ImagePullBehavior.PREFER_CACHED.pulls(true)).isFalse();
        assertThat(ImagePullBehavior.PREFER_CACHED.pulls(false)).isTrue();
        assertThat(ImagePullBehavior.ONCE.pullsCachedImages()).isFalse();
        assertThat(ImagePullBehavior.PREFER_CACHED.pullsCachedImages()).isFalse();
    }
}
