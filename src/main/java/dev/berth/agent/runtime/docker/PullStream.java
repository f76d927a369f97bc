package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.model.PullResponseItem;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A pull's progress stream. Docker answers a pull with 200 before it fetches anything, so a
 * failure after that (a layer it cannot write, a registry that breaks off) comes as a line
 * of the stream, {@code {"errorDetail": {"message": ...}, "error": ...}}, not as an HTTP error.
 * Every line is progress; a pull whose stream says nothing for the inactivity timeout has
 * stalled ({@code ECS_IMAGE_PULL_INACTIVITY_TIMEOUT}), as ECS's agent judges it.
 */
final class PullStream extends QuietCallback<PullResponseItem> {

    /** How often a wait looks at the time since the last progress, at most. */
    private static final Duration MOST_BETWEEN_LOOKS = Duration.ofSeconds(1);

    private volatile String error;
    private volatile long lastProgress = System.nanoTime();
    private final CountDownLatch ended = new CountDownLatch(1);

    /**
     * Waits until the stream ends, or until it has said nothing for {@code inactivity}: then
     * it is closed, which ends the pull.
     *
     * @return false when the pull stalled; true when the stream ended (rethrowing what broke it)
     */
    boolean awaitEnd(Duration inactivity) throws InterruptedException {
        long look = Math.max(1, Math.min(MOST_BETWEEN_LOOKS.toMillis(), inactivity.toMillis() / 4));
        // (not docker-java's timed awaitCompletion, which closes the stream when its wait ends)
        while (!ended.await(look, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() - lastProgress > inactivity.toNanos()) {
                closeQuietly();
                return false;
            }
        }
        awaitEnd();
        return true;
    }

    @Override
    public void onComplete() {
        ended.countDown();
        super.onComplete();
    }

    @Override
    public void onError(Throwable throwable) {
        ended.countDown();
        super.onError(throwable);
    }

    @Override
    public void onNext(PullResponseItem item) {
        lastProgress = System.nanoTime();
        if (error == null && item != null && item.isErrorIndicated()) {
            error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage()
                    : item.getError();
        }
    }

    /** The engine's message when the stream reported the pull failed. */
    Optional<String> error() {
        return Optional.ofNullable(error);
    }
}
