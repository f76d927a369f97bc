package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.berth.agent.runtime.BerthLabels;
import dev.berth.agent.runtime.ContainerEvent;
import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.protocol.Backoff;
import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows Docker's event stream for the containers of one instance, on its own thread, and
 * hands each start, die, stop, oom and health_status event to a listener. When the stream breaks it
 * reconnects: at once after a stream that was up, with backoff while Docker cannot be
 * reached, and from the time of the last event seen over all connections ({@code since}),
 * so Docker replays what happened in between. Once a reconnected stream is up it hands the
 * listener a {@link ContainerEvent.Kind#RESYNC}: an engine that restarted has forgotten its
 * events, so every task must be looked at again. Closing the subscription closes the
 * ResultCallback and ends the thread.
 */
final class DockerEventStream implements ContainerRuntime.Subscription {

    private static final Logger LOGGER = Logger.getLogger(DockerEventStream.class);
    /** The attribute in which Docker's die event gives the container's exit code. */
    private static final String DIE_EXIT_CODE = "exitCode";
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** A stream that ends sooner than this after it started counts as a failed attempt. */
    private static final Duration HEALTHY_UPTIME = Duration.ofSeconds(5);
    /** Docker's {@code since} has one-second resolution; resume a second early, repeats only wake. */
    private static final long RESUME_MARGIN_SECONDS = 1;

    private final DockerClient client;
    private final String instanceId;
    private final Consumer<ContainerEvent> listener;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean open = true;
    private volatile Watch current;
    private long resumeFrom;
    /** The time of the last event seen on any connection, in epoch seconds; 0 before the first. */
    private volatile long lastEventSecond;
    private volatile boolean broken;

    DockerEventStream(DockerClient client, String instanceId, Consumer<ContainerEvent> listener, Clock clock) {
        this.client = client;
        this.instanceId = instanceId;
        this.listener = listener;
        this.clock = clock;
        this.thread = new Thread(this::follow, "berth-docker-events");
        this.thread.setDaemon(true);
    }

    DockerEventStream start() {
        thread.start();
        return this;
    }

    private void follow() {
        Backoff backoff = new Backoff(FIRST_RETRY, MAX_RETRY);
        while (open) {
            Instant began = clock.instant();
            Watch watch = new Watch();
            current = watch;
            try {
                command().exec(watch);
                watch.awaitEnd();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                watch.failed(e);
            } finally {
                watch.closeQuietly();
                current = null;
            }
            if (!open) {
                return;
            }
            broken = true;
            if (resumeFrom == 0 || lastEventSecond > 0) {
                // Never later than the last event seen: what came after it is replayed.
                resumeFrom = (lastEventSecond > 0 ? lastEventSecond : began.getEpochSecond()) - RESUME_MARGIN_SECONDS;
            }
            if (watch.startedAt != null && Duration.between(watch.startedAt, clock.instant())
                    .compareTo(HEALTHY_UPTIME) >= 0) {
                LOGGER.debugf("Instance %s: Docker's event stream ended (%s); reconnecting", instanceId,
                        watch.reason());
                backoff.reset();
                continue;
            }
            LOGGER.warnf("Instance %s: cannot follow Docker's events (%s); retrying, the periodic resync covers"
                    + " the gap", instanceId, watch.reason());
            if (!backoff.pause()) {
                return;
            }
        }
    }

    private EventsCmd command() {
        EventsCmd command = client.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter(actions())
                .withLabelFilter(Map.of(BerthLabels.INSTANCE_ID, instanceId));
        return resumeFrom > 0 ? command.withSince(Long.toString(resumeFrom)) : command;
    }

    private static String[] actions() {
        ContainerEvent.Kind[] kinds = ContainerEvent.Kind.values();
        String[] actions = new String[kinds.length];
        int n = 0;
        for (ContainerEvent.Kind kind : kinds) {
            if (kind.isDockers()) {
                actions[n++] = kind.action();
            }
        }
        return Arrays.copyOf(actions, n);
    }

    /** The event as Berth sees it; null when it is not one of this instance's Berth containers. */
    ContainerEvent toContainerEvent(Event event) {
        ContainerEvent.Kind kind = ContainerEvent.Kind.of(event.getAction() != null ? event.getAction()
                : event.getStatus());
        Map<String, String> attributes = event.getActor() == null ? null : event.getActor().getAttributes();
        if (kind == null || !kind.isDockers() || !BerthLabels.isBerth(attributes)
                || !instanceId.equals(attributes.get(BerthLabels.INSTANCE_ID))) {
            return null;
        }
        String id = event.getActor().getId() != null ? event.getActor().getId() : event.getId();
        return new ContainerEvent(kind, id, attributes.get(BerthLabels.TASK_ID), time(event),
                kind == ContainerEvent.Kind.DIE ? exitCode(attributes.get(DIE_EXIT_CODE)) : null);
    }

    /** The die event's exit code attribute; null when it is missing or not a number. */
    private static Integer exitCode(String attribute) {
        if (attribute == null) {
            return null;
        }
        try {
            return Integer.valueOf(attribute);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * When the engine saw it. Without the engine's nanoseconds, the time it arrived here: never
     * earlier than the event (whole seconds would be), so that a worker never takes it for one
     * its last look at the container already saw.
     */
    private Instant time(Event event) {
        if (event.getTimeNano() != null) {
            return Instant.EPOCH.plusNanos(event.getTimeNano());
        }
        return clock.instant();
    }

    @Override
    public void close() {
        open = false;
        Watch watch = current;
        if (watch != null) {
            watch.closeQuietly();
        }
        thread.interrupt();
    }

    /** One connection to the stream. */
    private final class Watch extends QuietCallback<Event> {

        private volatile Instant startedAt;

        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            startedAt = clock.instant();
            if (!open) {
                closeQuietly();
                return;
            }
            if (broken) {
                broken = false;
                LOGGER.infof("Instance %s: following Docker's events again; looking at every task", instanceId);
                try {
                    listener.accept(ContainerEvent.resync(startedAt));
                } catch (RuntimeException e) {
                    LOGGER.warnf("Instance %s: the resync after reconnecting was not handled (%s)", instanceId,
                            e.toString());
                }
            }
        }

        @Override
        public void onNext(Event event) {
            if (event.getTime() != null && event.getTime() > lastEventSecond) {
                lastEventSecond = event.getTime();
            }
            ContainerEvent containerEvent = toContainerEvent(event);
            if (containerEvent == null) {
                return;
            }
            LOGGER.debugf("Task %s: container %s %s", containerEvent.taskId(), containerEvent.containerId(),
                    containerEvent.kind().action());
            try {
                listener.accept(containerEvent);
            } catch (RuntimeException e) {
                LOGGER.warnf("Task %s: the %s event of container %s was not handled (%s)", containerEvent.taskId(),
                        containerEvent.kind().action(), containerEvent.containerId(), e.toString());
            }
        }

        String reason() {
            Throwable f = failure();
            return f == null ? "the stream was closed" : DockerContainerRuntime.detail(f);
        }
    }
}
