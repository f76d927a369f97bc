package dev.berth.agent.images;

import java.time.Duration;

/**
 * When image cleanup removes an image.
 *
 * @param minimumAge          how long an image must have been unused ({@code ECS_IMAGE_MINIMUM_CLEANUP_AGE})
 * @param imagesPerCycle      the most images one cycle removes by age ({@code ECS_NUM_IMAGES_DELETE_PER_CYCLE})
 * @param highWatermarkPercent disk use at which a cycle removes beyond that count
 * @param lowWatermarkPercent  disk use at which it stops again
 */
public record ImageCleanupPolicy(Duration minimumAge, int imagesPerCycle, int highWatermarkPercent,
        int lowWatermarkPercent) {

    public ImageCleanupPolicy {
        if (lowWatermarkPercent > highWatermarkPercent) {
            throw new IllegalArgumentException("BERTH_AGENT_IMAGE_DISK_LOW_WATERMARK (" + lowWatermarkPercent
                    + ") must not be above BERTH_AGENT_IMAGE_DISK_HIGH_WATERMARK (" + highWatermarkPercent + ")");
        }
    }
}
