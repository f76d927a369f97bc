package dev.berth.scheduler;

import dev.berth.protocol.AccountSettingRecord;
import dev.berth.protocol.BerthRecord;
import dev.berth.scheduler.state.SchedulerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * ECS account settings (PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting,
 * ListAccountSettings), kept per principal on berth.account-settings. A principal's effective
 * setting is its own, else the account default (the root's), else ECS's default.
 *
 * <p>Berth has no IAM: the caller's principal is {@code arn:<partition>:iam::<account>:user/<access
 * key id>} of the SigV4 key it signed with, and the root ({@code ...:root}) when the call carries
 * no key (a request on berth.requests). The long ARN formats are always enabled, as in ECS now;
 * {@code containerInsights} is the default of the clusters a principal creates; the other
 * settings are kept and answered, and change nothing on Berth's own hosts.
 *
 * <p>As in ECS, only the root may name another principal in {@code principalArn} (to put,
 * delete or list its settings); any other caller may name only itself, and is refused with
 * ClientException, ECS's error for an action on behalf of a principal without the permission.
 * A user still sets the account default with PutAccountSettingDefault, as an ECS user may.
 */
public final class AccountSettings {

    /** ECS's setting type: set by a principal, or ECS's own default. */
    public static final String USER = "user";
    public static final String AWS_MANAGED = "aws_managed";

    private static final Pattern IAM_PRINCIPAL = Pattern.compile("arn:[a-z-]+:iam::[0-9A-Za-z]+:(root|(user|role)/.+)");
    private static final Set<String> LONG_ARN_FORMATS = Set.of("serviceLongArnFormat", "taskLongArnFormat",
            "containerInstanceLongArnFormat");

    /** Every setting name of ECS, with ECS's default (as Berth has it) and the values it takes. */
    private static final Map<String, Definition> DEFINITIONS = definitions(
            new Definition("serviceLongArnFormat", "enabled", Set.of("enabled"), null),
            new Definition("taskLongArnFormat", "enabled", Set.of("enabled"), null),
            new Definition("containerInstanceLongArnFormat", "enabled", Set.of("enabled"), null),
            new Definition("awsvpcTrunking", "disabled", Set.of("enabled", "disabled"), null),
            new Definition("containerInsights", "disabled", Set.of("enabled", "disabled", "enhanced"), null),
            new Definition("fargateFIPSMode", "disabled", Set.of(), "Berth has no Fargate; FIPS mode is a "
                    + "property of your hosts' kernels and Docker engines"),
            new Definition("tagResourceAuthorization", "on", Set.of("on", "off"), null),
            new Definition("fargateTaskRetirementWaitPeriod", "7", Set.of("0", "7", "14"), null),
            new Definition("guardDutyActivate", "disabled", Set.of(), "guardDutyActivate is read-only in ECS: "
                    + "it shows whether Amazon GuardDuty Runtime Monitoring is on, and Berth has no GuardDuty"),
            new Definition("defaultLogDriverMode", "blocking", Set.of("blocking", "non-blocking"), null));

    private record Definition(String name, String defaultValue, Set<String> values, String refusal) {
    }

    /** ECS's {@code Setting}. */
    public record Setting(String name, String value, String principalArn, String type) {
    }

    private final SchedulerState state;
    private final StateWriter writer;
    private final Lock writeLock;
    private final String rootArn;

    AccountSettings(SchedulerState state, StateWriter writer, Lock writeLock, String partition, String account) {
        this.state = state;
        this.writer = writer;
        this.writeLock = writeLock;
        this.rootArn = "arn:" + partition + ":iam::" + account + ":root";
    }

    /** The account's root: whose settings are the account default. */
    public String rootArn() {
        return rootArn;
    }

    /** The principal of a caller that signed with {@code accessKeyId} (the root when null). */
    public String principalOf(String accessKeyId) {
        return accessKeyId == null || accessKeyId.isBlank() ? rootArn
                : rootArn.substring(0, rootArn.length() - "root".length()) + "user/" + accessKeyId;
    }

    /** PutAccountSetting: for {@code principalArn}, or for the caller when it is not given. */
    public Setting put(String caller, String name, String value, String principalArn) {
        String principal = principal(caller, principalArn, "set");
        return store(principal, name, value);
    }

    /** PutAccountSettingDefault: the setting of the root, which every principal without its own has. */
    public Setting putDefault(String name, String value) {
        return store(rootArn, name, value);
    }

    /**
     * DeleteAccountSetting: the principal's own setting is removed, so the account default or
     * ECS's applies to it again; answers the removed setting.
     */
    public Setting delete(String caller, String name, String principalArn) {
        String principal = principal(caller, principalArn, "delete");
        requireDefinition(name, "name");
        writeLock.lock();
        try {
            AccountSettingRecord held = state.accountSetting(principal, name).orElseThrow(() ->
                    EcsException.invalidParameter("Invalid 'name': no account setting " + name + " is set for "
                            + principal + "; there is nothing to delete."));
            writer.commit(List.of(new StateChange.ForgetAccountSetting(held.key())));
            return new Setting(held.name(), held.value(), held.principalArn(), USER);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * ListAccountSettings, sorted by name: the principal's own settings, or with
     * {@code effective} every setting as it applies to the principal.
     */
    public List<Setting> list(String caller, String name, String value, String principalArn, boolean effective) {
        if (value != null && name == null) {
            throw EcsException.invalidParameter("Invalid 'value': give a 'name' to filter by value.");
        }
        if (name != null) {
            DEFINITIONS.keySet().stream().filter(name::equals).findAny().orElseThrow(() -> unknownName("name", name));
        }
        String principal = principal(caller, principalArn, "list");
        List<Setting> settings = new ArrayList<>();
        for (Definition definition : DEFINITIONS.values()) {
            Optional<Setting> setting = effective ? Optional.of(effective(principal, definition.name()))
                    : state.accountSetting(principal, definition.name()).map(AccountSettings::answered);
            setting.filter(s -> name == null || name.equals(s.name()))
                    .filter(s -> value == null || value.equals(s.value()))
                    .ifPresent(settings::add);
        }
        settings.sort(Comparator.comparing(Setting::name));
        return settings;
    }

    /** The setting that applies to a principal: its own, else the root's, else ECS's default. */
    public Setting effective(String principal, String name) {
        Definition definition = requireDefinition(name, "name");
        return state.accountSetting(principal, name)
                .or(() -> state.accountSetting(rootArn, name))
                .map(AccountSettings::answered)
                .orElseGet(() -> new Setting(name, definition.defaultValue(), rootArn, AWS_MANAGED));
    }

    private Setting store(String principal, String name, String value) {
        Definition definition = requireDefinition(name, "name");
        if (definition.refusal() != null) {
            throw EcsException.invalidParameter("Invalid 'name': Berth does not support setting " + name + ": "
                    + definition.refusal() + ".");
        }
        if (LONG_ARN_FORMATS.contains(name) && "disabled".equals(value)) {
            throw EcsException.invalidParameter("You can no longer disable Long Arn settings.");
        }
        if (value == null || !definition.values().contains(value)) {
            throw EcsException.invalidParameter("Invalid 'value': " + value + " is not a value of " + name
                    + "; it takes " + String.join(", ", definition.values().stream().sorted().toList()) + ".");
        }
        writeLock.lock();
        try {
            Optional<AccountSettingRecord> held = state.accountSetting(principal, name);
            if (held.isEmpty() || !value.equals(held.get().value())) {
                long version = held.map(h -> h.version() + 1).orElse(1L);
                writer.write(new AccountSettingRecord(BerthRecord.SCHEMA_VERSION, version, principal, name, value));
            }
        } finally {
            writeLock.unlock();
        }
        return new Setting(name, value, principal, USER);
    }

    /**
     * Whose settings a call acts on: the caller's own when it names none, else the one it names,
     * which only the root may choose freely.
     */
    private String principal(String caller, String principalArn, String verb) {
        String self = caller == null ? rootArn : caller;
        if (principalArn == null || principalArn.isEmpty()) {
            return self;
        }
        if (!IAM_PRINCIPAL.matcher(principalArn).matches()) {
            throw EcsException.invalidParameter("Invalid 'principalArn': " + principalArn + " is not the ARN of a "
                    + "user, role or root (arn:<partition>:iam::<account>:user/<name>).");
        }
        if (!self.equals(rootArn) && !self.equals(principalArn)) {
            throw EcsException.client(self + " is not authorized to " + verb + " the account settings of "
                    + principalArn + ": only the root user (" + rootArn + ") may name another principal in "
                    + "'principalArn'. Leave it out to " + verb + " your own settings, or use "
                    + "PutAccountSettingDefault for the account default.");
        }
        return principalArn;
    }

    private static Definition requireDefinition(String name, String field) {
        Definition definition = name == null ? null : DEFINITIONS.get(name);
        if (definition == null) {
            throw unknownName(field, name);
        }
        return definition;
    }

    private static EcsException unknownName(String field, String name) {
        return EcsException.invalidParameter("Invalid '" + field + "': " + name + " is not an account setting; "
                + "the settings are " + String.join(", ", DEFINITIONS.keySet()) + ".");
    }

    private static Setting answered(AccountSettingRecord record) {
        return new Setting(record.name(), record.value(), record.principalArn(), USER);
    }

    private static Map<String, Definition> definitions(Definition... all) {
        Map<String, Definition> map = new LinkedHashMap<>();
        for (Definition definition : all) {
            map.put(definition.name(), definition);
        }
        return map;
    }
}
