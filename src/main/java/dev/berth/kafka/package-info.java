/**
 * The {@code kafka} role: an embedded, single-node Apache Kafka broker (KRaft, combined
 * broker and controller) running inside the Berth process, for standalone use and
 * development.
 *
 * <p>Invariants:
 * <ul>
 *   <li><b>Never in production.</b> It has one replica of everything. Production points the
 *       {@code scheduler} and {@code agent} roles at a real Kafka cluster and leaves this role
 *       off.</li>
 *   <li><b>It is a real broker.</b> The other roles reach it only through its client listener,
 *       exactly as they reach a remote cluster; nothing in Berth calls into it directly.</li>
 *   <li><b>Its data lives under {@code <berth.data-dir>/kafka}</b> and nowhere else. The first
 *       start formats that directory with Kafka's own storage formatter; the cluster id is kept
 *       in its {@code meta.properties}, so every later start reuses the same cluster and its
 *       topics.</li>
 *   <li><b>Topics are created explicitly</b> ({@code auto.create.topics.enable=false}), as on a
 *       production cluster, so a typo in a topic name fails here too.</li>
 *   <li>A fatal fault inside Kafka halts the process, as it would halt a stand-alone broker:
 *       Berth's state is in Kafka, and a restart rebuilds everything from it.</li>
 * </ul>
 */
package dev.berth.kafka;
