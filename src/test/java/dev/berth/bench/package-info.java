/**
 * The scale benchmarks: the control plane's (issue 6, item 7; {@code exec:exec@bench}) and the
 * services' (issue 7, item 8; {@code exec:exec@bench-services}), with hollow agents, load drivers
 * and the tables they print. Run with {@code mvn -B -DskipTests package exec:exec@<id>} (see the
 * README's Benchmarks section); nothing here runs in {@code mvn verify}.
 *
 * <p>Hollow agents, like Kubernetes' kubemark, register container instances and report the
 * tasks placed on them RUNNING without Docker, on a few Kafka clients shared by thousands of
 * instances in one JVM. They exist only for benchmarks: the shipped binary's agent role is the
 * real one.
 */
package dev.berth.bench;
