package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * A docker-java {@link ResultCallback} that keeps its failure for the caller instead of
 * logging it with a stack trace at ERROR, as docker-java's template does: a failed pull or a
 * broken event stream is routine here, and the caller reports it, named, on one line.
 */
class QuietCallback<T> extends ResultCallback.Adapter<T> {

    private static final Logger LOGGER = Logger.getLogger(QuietCallback.class);

    private volatile Throwable failure;

    @Override
    public void onError(Throwable throwable) {
        failed(throwable);
        closeQuietly();
    }

    /** Waits until the stream ends; rethrows what broke it, if anything did. */
    void awaitEnd() throws InterruptedException {
        awaitCompletion();
        Throwable f = failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException(f.getMessage(), f);
        }
    }

    void failed(Throwable throwable) {
        if (failure == null) {
            failure = throwable;
        }
    }

    Throwable failure() {
        return failure;
    }

    void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            LOGGER.debugf("Closing a Docker stream: %s", e.getMessage());
        }
    }
}
