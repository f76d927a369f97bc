package dev.berth.protocol;

/**
 * {@code berth.account-settings}, key {@code <principalArn> <name>} ({@link #key}), written by
 * the scheduler: one ECS account setting that PutAccountSetting or PutAccountSettingDefault
 * set for a principal. DeleteAccountSetting tombstones it, and the principal then has the
 * root's setting or ECS's default again.
 *
 * @param principalArn the principal it is set for: {@code arn:<partition>:iam::<account>:root}
 *                     for the account's default, {@code ...:user/<access key id>} for a caller
 */
public record AccountSettingRecord(
        int schemaVersion,
        long version,
        String principalArn,
        String name,
        String value) implements BerthRecord {

    /** The record's key on berth.account-settings: a principal ARN has no spaces. */
    public static String key(String principalArn, String name) {
        return principalArn + " " + name;
    }

    public String key() {
        return key(principalArn, name);
    }
}
