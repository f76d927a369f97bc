package dev.berth.app;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * OSHI's providers, which it finds with {@link java.util.ServiceLoader} (the native build does
 * not register services by itself; {@code application.properties} includes the service file).
 * Names, because only {@code agent.capacity} imports OSHI. OSHI's and JNA's classes are
 * initialized at run time and their resources included: see the {@code quarkus.native.*}
 * settings in {@code application.properties}.
 */
@RegisterForReflection(classNames = {
        "oshi.SystemInfo",
        "oshi.nativefree.SystemInfo",
}, ignoreNested = true)
final class HostCapacityTypes {

    private HostCapacityTypes() {
    }
}
