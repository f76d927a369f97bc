package dev.berth.scheduler;

import static dev.berth.scheduler.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.model.Arns;
import dev.berth.protocol.AccountSettingRecord;
import dev.berth.scheduler.AccountSettings.Setting;
import dev.berth.scheduler.state.SchedulerState;
import dev.berth.testing.SettableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Account settings per principal, with ECS's fallbacks and refusals, over a writer that acknowledges at once. */
class AccountSettingsTest {

    private static final Arns ARNS = new Arns("aws", "us-east-1", "000000000000");
    private static final String ROOT = "arn:aws:iam::000000000000:root";
    private static final String ALICE = "arn:aws:iam::000000000000:user/AKIDALICE";

    private final SchedulerState state = new SchedulerState(new SettableClock(T0), Duration.ofSeconds(60),
            Duration.ofHours(1));
    private final AppliedWriter writer = new AppliedWriter(state);
    private final AccountSettings settings = new ControlPlane(state, writer, ARNS).accountSettings();

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcsException.class,
                e -> assertThat(e.type()).isEqualTo(EcsErrorType.InvalidParameterException)).hasMessageContaining(message);
    }

    @Test
    void aCallerIsTheUserOfItsAccessKeyAndNoKeyIsTheRoot() {
        assertThat(settings.principalOf("AKIDALICE")).isEqualTo(ALICE);
        assertThat(settings.principalOf(null)).isEqualTo(ROOT);
    }

    @Test
    void aPrincipalHasItsOwnSettingElseTheAccountDefaultElseEcsDefault() {
        // Given
        assertThat(settings.effective(ALICE, "containerInsights"))
                .isEqualTo(new Setting("containerInsights", "disabled", ROOT, AccountSettings.AWS_MANAGED));

        // When
        Setting accountDefault = settings.putDefault("containerInsights", "enhanced");

        // Then
        assertThat(accountDefault).isEqualTo(new Setting("containerInsights", "enhanced", ROOT, "user"));
        assertThat(settings.effective(ALICE, "containerInsights").value()).isEqualTo("enhanced");

        // When
        Setting own = settings.put(ALICE, "containerInsights", "enabled", null);

        // Then
        assertThat(own).isEqualTo(new Setting("containerInsights", "enabled", ALICE, "user"));
        assertThat(settings.effective(ALICE, "containerInsights").value()).isEqualTo("enabled");
        assertThat(settings.list(ALICE, null, null, null, false)).containsExactly(own);
        assertThat(settings.list(ALICE, null, null, ROOT, false)).containsExactly(accountDefault);
        assertThat(writer.written()).containsExactly(
                new AccountSettingRecord(1, 1, ROOT, "containerInsights", "enhanced"),
                new AccountSettingRecord(1, 1, ALICE, "containerInsights", "enabled"));

        // When
        Setting deleted = settings.delete(ALICE, "containerInsights", null);

        // Then
        assertThat(deleted).isEqualTo(own);
        assertThat(state.accountSetting(ALICE, "containerInsights")).isEmpty();
        assertThat(settings.effective(ALICE, "containerInsights").value()).isEqualTo("enhanced");
        assertThat(writer.plans().get(writer.plans().size() - 1))
                .containsExactly(new StateChange.ForgetAccountSetting(ALICE + " containerInsights"));
    }

    @Test
    void effectiveSettingsListEverySettingSortedByNameAndFilter() {
        // Given
        settings.put(ALICE, "awsvpcTrunking", "enabled", null);

        // When
        List<Setting> all = settings.list(ALICE, null, null, null, true);

        // Then
        assertThat(all).extracting(Setting::name).isSorted().contains("serviceLongArnFormat", "taskLongArnFormat",
                "containerInstanceLongArnFormat", "awsvpcTrunking", "containerInsights", "tagResourceAuthorization",
                "guardDutyActivate");
        assertThat(all).filteredOn(s -> s.name().endsWith("LongArnFormat")).extracting(Setting::value)
                .containsOnly("enabled");
        assertThat(all).filteredOn(s -> s.name().equals("awsvpcTrunking")).singleElement()
                .isEqualTo(new Setting("awsvpcTrunking", "enabled", ALICE, "user"));
        assertThat(settings.list(ALICE, "awsvpcTrunking", "disabled", null, true)).isEmpty();
        assertThat(settings.list(ALICE, "awsvpcTrunking", "enabled", null, true)).hasSize(1);
    }

    @Test
    void refusesWhatEcsRefuses() {
        assertInvalid(() -> settings.put(ALICE, "taskLongArnFormat", "disabled", null),
                "You can no longer disable Long Arn settings.");
        assertInvalid(() -> settings.putDefault("serviceLongArnFormat", "disabled"),
                "You can no longer disable Long Arn settings.");
        assertInvalid(() -> settings.put(ALICE, "containerInsights", "maybe", null), "Invalid 'value'");
        assertInvalid(() -> settings.put(ALICE, "noSuchSetting", "enabled", null), "Invalid 'name'");
        assertInvalid(() -> settings.put(ALICE, "guardDutyActivate", "enabled", null), "read-only");
        assertInvalid(() -> settings.put(ALICE, "fargateFIPSMode", "enabled", null), "Fargate");
        assertInvalid(() -> settings.put(ALICE, "awsvpcTrunking", "enabled", "bob"), "Invalid 'principalArn'");
        assertInvalid(() -> settings.list(ALICE, null, "enabled", null, false), "Invalid 'value'");
        assertInvalid(() -> settings.delete(ALICE, "awsvpcTrunking", null), "nothing to delete");
        assertThat(writer.plans()).isEmpty();
    }

    @Test
    void puttingTheSameValueAgainWritesNothing() {
        // Given
        settings.put(ALICE, "tagResourceAuthorization", "off", null);

        // When
        Setting again = settings.put(ALICE, "tagResourceAuthorization", "off", null);

        // Then
        assertThat(again.value()).isEqualTo("off");
        assertThat(writer.plans()).hasSize(1);
    }
}
