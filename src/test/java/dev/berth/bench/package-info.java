/**
 * The scale benchmark of the control plane (issue 6, item 7): hollow agents, a load driver
 * and the table it prints. Run with {@code mvn -B -DskipTests package exec:exec@bench} (see the
 * README's Benchmarks section); nothing here runs in {@code mvn verify}.
 *
 * <p>Hollow agents, like Kubernetes' kubemark, register container instances and report the
 * tasks placed on them RUNNING without Docker, on a few Kafka clients shared by thousands of
 * instances in one JVM. They exist only for benchmarks: the shipped binary's agent role is the
 * real one.
 */
package dev.berth.bench;
