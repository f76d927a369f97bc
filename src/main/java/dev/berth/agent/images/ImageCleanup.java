package dev.berth.agent.images;

import dev.berth.agent.runtime.ContainerRuntime;
import dev.berth.agent.runtime.ContainerRuntimeException;
import dev.berth.agent.runtime.ImageDisk;
import dev.berth.agent.runtime.RuntimeImage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One image cleanup cycle after another (see the package's invariants): record which images
 * the agent used since the last cycle and which the tasks name now, then remove the eligible
 * ones, least recently used first, by age and, above the high watermark, by disk use. Cycles
 * never overlap.
 */
public final class ImageCleanup {

    private static final Logger LOGGER = Logger.getLogger(ImageCleanup.class);

    private final ContainerRuntime runtime;
    private final Supplier<Set<String>> namedByTasks;
    private final ImageHistory history;
    private final ImageCleanupPolicy policy;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Images {@link #used} since the last cycle began, and when last: one entry an image, so bounded by the host's. */
    private final Map<String, Instant> usedSinceCycle = new ConcurrentHashMap<>();

    /** @param namedByTasks the images that the tasks this agent knows name, read anew before each removal */
    public ImageCleanup(ContainerRuntime runtime, Supplier<Set<String>> namedByTasks, ImageHistory history,
            ImageCleanupPolicy policy, Clock clock) {
        this.runtime = runtime;
        this.namedByTasks = namedByTasks;
        this.history = history;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The agent created a container from {@code reference}, or pulled it, now. Kept until the
     * next cycle records it, so that an image whose task came and went between two cycles is
     * known all the same; never waits for a running cycle.
     */
    public void used(String reference) {
        usedSinceCycle.merge(RuntimeImage.normalize(reference), clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Runs a cycle unless one runs already; an engine that does not answer costs a WARN line. */
    public void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            cycle();
        } catch (ContainerRuntimeException e) {
            LOGGER.warnf("Image cleanup: %s; trying again next cycle", e.reason());
        } finally {
            running.set(false);
        }
    }

    /** @return the references removed, in order */
    synchronized List<String> cycle() throws ContainerRuntimeException {
        Instant now = clock.instant();
        for (String reference : usedSinceCycle.keySet()) {
            Instant at = usedSinceCycle.remove(reference);
            if (at != null) {
                history.used(reference, at);
            }
        }
        Set<String> named = normalized(namedByTasks.get());
        named.forEach(reference -> history.used(reference, now));
        List<RuntimeImage> images = runtime.images();
        Set<String> inUse = runtime.imagesInUse();
        Set<String> namedIds = imagesNamedNow(images);
        Map<String, String> eligible = new HashMap<>();
        for (String reference : history.references()) {
            Optional<RuntimeImage> image = images.stream().filter(i -> i.isNamedBy(reference)).findFirst();
            if (image.isEmpty()) {
                history.forget(reference);
            } else if (namedIds.contains(image.get().id()) || inUse.contains(image.get().id())) {
                history.used(reference, now);
            } else if (!history.lastUsed(reference).orElse(now).plus(policy.minimumAge()).isAfter(now)) {
                eligible.put(reference, image.get().id());
            }
        }
        List<String> oldestFirst = new ArrayList<>(eligible.keySet());
        oldestFirst.sort(Comparator.comparing(reference -> history.lastUsed(reference).orElse(now)));
        List<String> removed = remove(oldestFirst, eligible, images, now);
        history.save();
        return removed;
    }

    /**
     * The ids of the images that the tasks name now, by whichever reference: a tag removed
     * from an image that a task names by digest (or by another tag) could take the image with it.
     */
    private Set<String> imagesNamedNow(List<RuntimeImage> images) {
        Set<String> ids = new HashSet<>();
        for (String reference : namedByTasks.get()) {
            images.stream().filter(i -> i.isNamedBy(reference)).forEach(i -> ids.add(i.id()));
        }
        return ids;
    }

    private List<String> remove(List<String> oldestFirst, Map<String, String> imageIds, List<RuntimeImage> images,
            Instant now) throws ContainerRuntimeException {
        List<String> removed = new ArrayList<>();
        Optional<ImageDisk> disk = runtime.imageDisk();
        boolean freeing = disk.isPresent() && disk.get().usedPercent() >= policy.highWatermarkPercent();
        for (String reference : oldestFirst) {
            boolean byAge = removed.size() < policy.imagesPerCycle();
            if (!byAge && !freeing) {
                break;
            }
            if (imagesNamedNow(images).contains(imageIds.get(reference))) {
                continue;
            }
            Instant unusedSince = history.lastUsed(reference).orElse(now);
            if (!runtime.removeImage(reference)) {
                history.used(reference, now);
                continue;
            }
            history.forget(reference);
            removed.add(reference);
            if (freeing) {
                disk = runtime.imageDisk();
                freeing = disk.isPresent() && disk.get().usedPercent() > policy.lowWatermarkPercent();
            }
            LOGGER.infof("Image cleanup: removed %s, unused since %s%s", reference, unusedSince,
                    byAge ? "" : String.format(" (image disk above %d%%)", policy.highWatermarkPercent()));
        }
        return removed;
    }

    private static Set<String> normalized(Set<String> references) {
        Set<String> result = new HashSet<>();
        for (String reference : references) {
            result.add(RuntimeImage.normalize(reference));
        }
        return result;
    }
}
