package dev.berth.model;

import java.util.List;

/** RunTask/StartTask overrides, in the ECS shape. */
public record TaskOverride(List<ContainerOverride> containerOverrides, String cpu, String memory) {

    public List<ContainerOverride> containerOverridesOrEmpty() {
        return containerOverrides == null ? List.of() : containerOverrides;
    }
}
