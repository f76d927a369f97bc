package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler's settings, read as start-up reads them. */
class SchedulerConfigTest {

    private static SchedulerConfig read(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(SchedulerConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "SchedulerConfigTest", 500))
                .build()
                .getConfigMapping(SchedulerConfig.class);
    }

    @Test
    void theArnsPartsAreTakenAsEveryArnAndEventEnvelopeNeedsThem() {
        // When
        SchedulerConfig defaults = read(Map.of());
        SchedulerConfig given = read(Map.of("berth.scheduler.arn-partition", "aws-cn", "berth.scheduler.region",
                "cn-north-1", "berth.scheduler.account", " 123456789012 "));

        // Then
        assertThat(defaults.arnPartition() + " " + defaults.region() + " " + defaults.account())
                .isEqualTo("aws us-east-1 000000000000");
        assertThat(given.arnPartition() + " " + given.region() + " " + given.account())
                .isEqualTo("aws-cn cn-north-1 123456789012");
    }

    @Test
    void anAccountOtherThanTwelveDigitsStopsStartUpNamingTheSetting() {
        // Every ARN and the envelope of every event on berth.events carry the account: ECS's
        // form, and berth.events' published schema, take 12 digits only
        for (String account : new String[] {"12345", "1234567890123", "my-account", "00000000000a", ""}) {
            assertThatThrownBy(() -> read(Map.of("berth.scheduler.account", account)).account()).as(account)
                    .hasMessageContaining("BERTH_SCHEDULER_ACCOUNT").hasMessageContaining("12 digits");
        }
    }

    @Test
    void aRegionOrPartitionThatNoArnCouldHoldStopsStartUpNamingTheSetting() {
        for (String region : new String[] {"US-EAST-1", "us east 1", "us_east_1", "eu-west-1:", ""}) {
            assertThatThrownBy(() -> read(Map.of("berth.scheduler.region", region)).region()).as(region)
                    .hasMessageContaining("BERTH_SCHEDULER_REGION");
        }
        for (String partition : new String[] {"AWS", "aws1", "aws:cn", ""}) {
            assertThatThrownBy(() -> read(Map.of("berth.scheduler.arn-partition", partition)).arnPartition())
                    .as(partition).hasMessageContaining("BERTH_SCHEDULER_ARN_PARTITION");
        }
    }
}
