package dev.berth.api.kafka;

import dev.berth.model.Arns;
import dev.berth.scheduler.SchedulerConfig;
import dev.berth.scheduler.SchedulerRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * ECS's events on Kafka: gives the scheduler leader the fold that turns the records of its
 * topics into berth.events (package-info has the whole protocol).
 */
@ApplicationScoped
public class KafkaEvents {

    private final SchedulerRole scheduler;
    private final Arns arns;

    @Inject
    public KafkaEvents(SchedulerRole scheduler, SchedulerConfig config) {
        this.scheduler = scheduler;
        this.arns = new Arns(config.arnPartition(), config.region(), config.account());
    }

    /** Called where the scheduler role runs, before it starts. */
    public void attach() {
        scheduler.publishEvents(() -> new EcsEventFold(arns));
    }
}
