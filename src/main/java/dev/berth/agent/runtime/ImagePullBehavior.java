package dev.berth.agent.runtime;

/**
 * When the agent pulls a task's image ({@code ECS_IMAGE_PULL_BEHAVIOR}), with the ECS
 * agent's values:
 * <ul>
 *   <li>{@link #DEFAULT}: pull every time; when the pull fails, run the cached image if there
 *       is one;</li>
 *   <li>{@link #ALWAYS}: pull every time; a failed pull fails the task;</li>
 *   <li>{@link #ONCE}: pull only when the image is not on the host (an image already there
 *       counts as pulled);</li>
 *   <li>{@link #PREFER_CACHED}: pull only when the image is not on the host.</li>
 * </ul>
 */
public enum ImagePullBehavior {
    DEFAULT,
    ALWAYS,
    ONCE,
    PREFER_CACHED;

    /** Whether to pull, knowing whether the image is on the host. */
    public boolean pulls(boolean cached) {
        return this == DEFAULT || this == ALWAYS || !cached;
    }

    /** Whether the image is pulled before every create, even when it is on the host. */
    public boolean pullsCachedImages() {
        return pulls(true);
    }

    /** Whether a failed pull may fall back to the image on the host. */
    public boolean fallsBackToCache(boolean cached) {
        return this == DEFAULT && cached;
    }
}
