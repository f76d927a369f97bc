package dev.berth.scheduler;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Test-only stand-in for the app launcher: starts the scheduler role with the application
 * and stops it on shutdown. {@link SchedulerRole#start()} is idempotent, so it is harmless
 * once the real launcher exists.
 */
@ApplicationScoped
class SchedulerStarter {

    void onStart(@Observes StartupEvent event, SchedulerRole scheduler) {
        scheduler.start();
    }

    void onStop(@Observes ShutdownEvent event, SchedulerRole scheduler) {
        scheduler.stop();
    }
}
