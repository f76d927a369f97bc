package dev.berth.scheduler.services;

import dev.berth.protocol.ServiceRecord.Deployment;
import java.security.SecureRandom;
import java.time.Instant;

/** New deployments, with ids in ECS's form: {@code ecs-svc/} and 19 digits. */
public final class Deployments {

    private static final int ID_DIGITS = 19;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Deployments() {
    }

    /** A PRIMARY deployment of the task definition ({@code family:revision}), IN_PROGRESS from now. */
    public static Deployment start(String taskDefinition, Instant now) {
        StringBuilder digits = new StringBuilder(ID_DIGITS);
        digits.append(1 + RANDOM.nextInt(9));
        while (digits.length() < ID_DIGITS) {
            digits.append(RANDOM.nextInt(10));
        }
        String id = "ecs-svc/" + digits;
        return new Deployment(id, Deployment.PRIMARY, taskDefinition, 0, now, now, Deployment.IN_PROGRESS,
                "ECS deployment " + id + " in progress.");
    }

    /** The same deployment, no longer PRIMARY: the service rolls away from it. */
    public static Deployment demoted(Deployment d, Instant now) {
        return new Deployment(d.id(), Deployment.ACTIVE, d.taskDefinition(), d.failedTasks(), d.createdAt(), now,
                d.rolloutState(), d.rolloutStateReason(), d.failuresInARow(), d.noStartBefore());
    }
}
