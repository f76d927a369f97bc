/**
 * The agent's own files under its data directory ({@code <data dir>/agent}): its instance id,
 * its first registration time, the Kafka layout it accepted, the task metadata secret, the
 * image history and the state changes Kafka has not acknowledged.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A file is replaced whole ({@link dev.berth.agent.disk.AtomicFile}): a reader sees the
 *       old content or the new one, never part of either, whenever the agent is killed.</li>
 *   <li>What a replacement survives is said where it is written: files written once per start
 *       (the identity, the registration time, the layout, the secret) reach the disk before
 *       the write returns, so a host that crashes or loses power right after the agent's first
 *       start comes back as the same instance; the state changes and the image history, written
 *       often, survive the agent being killed, not the host crashing (a crash also ends the
 *       host's containers, which the agent then reports as stopped).</li>
 *   <li>A replacement leaves no temporary file behind when it fails (a full disk), and one
 *       that a killed agent left is taken over by the next write of the same file.</li>
 *   <li>One agent process at a time uses the directory: it holds
 *       {@link dev.berth.agent.disk.DataDirectoryLock} from its start to its stop.</li>
 * </ul>
 */
package dev.berth.agent.disk;
