package dev.berth.scheduler;

import dev.berth.protocol.ClusterRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ECS's cluster settings: only {@code containerInsights}, kept and answered. Berth serves a
 * cluster's metrics on {@code /q/metrics} whatever the setting says, so it is a label that
 * tools read back, not a switch. Pure.
 */
public final class ClusterSettings {

    public static final String CONTAINER_INSIGHTS = "containerInsights";
    private static final Set<String> CONTAINER_INSIGHTS_VALUES = Set.of("enabled", "disabled", "enhanced");

    private ClusterSettings() {
    }

    /** The settings a request gives, checked; the last one of a name wins, as in ECS. */
    public static List<ClusterRecord.Setting> validate(List<ClusterRecord.Setting> settings) {
        if (settings == null || settings.isEmpty()) {
            return List.of();
        }
        Map<String, ClusterRecord.Setting> byName = new LinkedHashMap<>();
        for (int i = 0; i < settings.size(); i++) {
            ClusterRecord.Setting setting = settings.get(i);
            String at = "settings[" + i + "]";
            if (setting == null || !CONTAINER_INSIGHTS.equals(setting.name())) {
                throw EcsException.invalidParameter("Invalid '" + at + ".name': "
                        + (setting == null ? null : setting.name()) + " is not a cluster setting; the only one is "
                        + CONTAINER_INSIGHTS + ".");
            }
            if (setting.value() == null || !CONTAINER_INSIGHTS_VALUES.contains(setting.value())) {
                throw EcsException.invalidParameter("Invalid '" + at + ".value': " + setting.value()
                        + " is not one of enabled, disabled or enhanced.");
            }
            byName.put(setting.name(), setting);
        }
        return new ArrayList<>(byName.values());
    }

    /** The settings as DescribeClusters answers them: containerInsights is disabled unless set. */
    public static List<ClusterRecord.Setting> answered(ClusterRecord cluster) {
        Map<String, ClusterRecord.Setting> byName = new LinkedHashMap<>();
        byName.put(CONTAINER_INSIGHTS, new ClusterRecord.Setting(CONTAINER_INSIGHTS, "disabled"));
        for (ClusterRecord.Setting setting : cluster.settings()) {
            byName.put(setting.name(), setting);
        }
        return List.copyOf(byName.values());
    }

    /** The cluster's settings after UpdateClusterSettings: the given ones replace those of their name. */
    public static List<ClusterRecord.Setting> merged(ClusterRecord cluster, List<ClusterRecord.Setting> update) {
        Map<String, ClusterRecord.Setting> byName = new LinkedHashMap<>();
        for (ClusterRecord.Setting setting : cluster.settings()) {
            byName.put(setting.name(), setting);
        }
        for (ClusterRecord.Setting setting : validate(update)) {
            byName.put(setting.name(), setting);
        }
        return List.copyOf(byName.values());
    }
}
