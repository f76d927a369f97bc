package dev.berth.agent.capacity;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/** Reads {@link HostFacts} with OSHI: the only class that touches OSHI. */
public final class HostProbe {

    private HostProbe() {
    }

    public static HostFacts probe() {
        SystemInfo system = new SystemInfo();
        HardwareAbstractionLayer hardware = system.getHardware();
        OperatingSystem os = system.getOperatingSystem();
        return new HostFacts(
                hardware.getProcessor().getLogicalProcessorCount(),
                hardware.getMemory().getTotal(),
                System.getProperty("os.arch"),
                os.getFamily(),
                os.getVersionInfo().getBuildNumber(),
                os.getNetworkParams().getHostName());
    }
}
