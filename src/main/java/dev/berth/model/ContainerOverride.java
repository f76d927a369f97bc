package dev.berth.model;

import java.util.List;

/** RunTask/StartTask override of one container, in the ECS shape. */
public record ContainerOverride(
        String name,
        List<String> command,
        List<KeyValuePair> environment,
        Integer cpu,
        Integer memory,
        Integer memoryReservation) {
}
