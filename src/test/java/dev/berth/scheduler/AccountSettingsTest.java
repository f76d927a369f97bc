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
        assertThat(settings.list(ROOT, null, null, ROOT, false)).containsExactly(accountDefault);
        assertThat(settings.list(ALICE, null, null, ALICE, false)).containsExactly(own);
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
    void onlyTheRootNamesAnotherPrincipal() {
        // Given
        String bob = "arn:aws:iam::000000000000:user/AKIDBOB";
        settings.put(ROOT, "awsvpcTrunking", "enabled", bob);

        // When / Then: a user may not act on another user's settings, nor on the root's
        for (String other : List.of(bob, ROOT)) {
            assertThatThrownBy(() -> settings.put(ALICE, "awsvpcTrunking", "disabled", other))
                    .isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                    .hasMessageContaining(ALICE + " is not authorized to set the account settings of " + other)
                    .hasMessageContaining("only the root user");
            assertThatThrownBy(() -> settings.delete(ALICE, "awsvpcTrunking", other))
                    .isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                    .hasMessageContaining("not authorized to delete");
            assertThatThrownBy(() -> settings.list(ALICE, null, null, other, true))
                    .isInstanceOfSatisfying(EcsException.class,
                            e -> assertThat(e.type()).isEqualTo(EcsErrorType.ClientException))
                    .hasMessageContaining("not authorized to list");
        }
        assertThat(state.accountSetting(bob, "awsvpcTrunking").orElseThrow().value()).isEqualTo("enabled");

        // Then: naming itself is the same as naming no one, and the root names anyone
        assertThat(settings.put(ALICE, "awsvpcTrunking", "enabled", ALICE).principalArn()).isEqualTo(ALICE);
        assertThat(settings.list(ROOT, "awsvpcTrunking", null, bob, false)).extracting(Setting::value)
                .containsExactly("enabled");
        assertThat(settings.delete(ROOT, "awsvpcTrunking", bob).principalArn()).isEqualTo(bob);
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
