/**
 * Image garbage collection on the host, as the ECS agent's image manager and the kubelet's
 * image GC do it.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Only images that this instance's tasks named are ever removed ({@link
 *       dev.berth.agent.images.ImageHistory}, kept under {@code <data dir>/agent/images.properties};
 *       losing the file only means some images are never removed). An image the operator or
 *       another program put on the host is left alone.</li>
 *   <li>An image that a container uses (any container, running or not, Berth's or not) or that a
 *       task this agent knows names, by any of its references, is never removed: both are
 *       checked by image id. Removal is never forced, so the engine refuses it too when a
 *       container took the image meanwhile.</li>
 *   <li>An image is removed only once it has been unused for {@code ECS_IMAGE_MINIMUM_CLEANUP_AGE};
 *       each cycle removes at most {@code ECS_NUM_IMAGES_DELETE_PER_CYCLE}, least recently used
 *       first, except while the image disk is above the high watermark: then it goes on until
 *       the disk is at or below the low watermark, or nothing eligible is left.</li>
 * </ul>
 */
package dev.berth.agent.images;
