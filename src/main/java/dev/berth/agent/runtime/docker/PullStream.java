package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.model.PullResponseItem;
import java.util.Optional;

/**
 * A pull's progress stream. Docker answers a pull with 200 before it fetches anything, so a
 * failure after that (a layer it cannot write, a registry that breaks off) comes as a line
 * of the stream, {@code {"errorDetail": {"message": ...}, "error": ...}}, not as an HTTP error.
 */
final class PullStream extends QuietCallback<PullResponseItem> {

    private volatile String error;

    @Override
    public void onNext(PullResponseItem item) {
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
