package dev.berth.agent.runtime;

/** The filesystem that holds the engine's images: its size and what is used of it, in bytes. */
public record ImageDisk(long totalBytes, long usedBytes) {

    /** Used, in percent of the total; 0 for a filesystem that reports no size. */
    public double usedPercent() {
        return totalBytes <= 0 ? 0 : 100.0 * usedBytes / totalBytes;
    }
}
