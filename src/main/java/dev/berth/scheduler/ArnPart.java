package dev.berth.scheduler;

import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * The configured parts of every ARN the scheduler writes: partition, region and account. They
 * go into every ARN the API answers and into the envelope and resources of every record of
 * berth.events, whose published schema takes them in ECS's form only: an account of anything
 * but 12 digits would make every event fail it, so such a value stops start-up, naming the
 * setting. Given back without surrounding blanks.
 */
public final class ArnPart {

    private ArnPart() {
    }

    private static String checked(String value, Pattern form, String setting, String env, String what,
            String example) {
        String part = value.strip();
        if (!form.matcher(part).matches()) {
            throw new IllegalArgumentException(setting + " (" + env + ") \"" + part + "\": " + what + ", e.g. "
                    + example);
        }
        return part;
    }

    /** {@code aws}, {@code aws-cn}, ...: lower-case letters and {@code -}. */
    public static final class Partition implements Converter<String> {
        private static final Pattern FORM = Pattern.compile("[a-z-]+");

        @Override
        public String convert(String value) {
            return checked(value, FORM, "berth.scheduler.arn-partition", "BERTH_SCHEDULER_ARN_PARTITION",
                    "an ARN partition is lower-case letters and '-'", "aws");
        }
    }

    /** {@code us-east-1}, ...: lower-case letters, digits and {@code -}. */
    public static final class Region implements Converter<String> {
        private static final Pattern FORM = Pattern.compile("[a-z0-9-]+");

        @Override
        public String convert(String value) {
            return checked(value, FORM, "berth.scheduler.region", "BERTH_SCHEDULER_REGION",
                    "a region is lower-case letters, digits and '-'", "us-east-1");
        }
    }

    /** 12 digits, as ECS's account ids. */
    public static final class Account implements Converter<String> {
        private static final Pattern FORM = Pattern.compile("[0-9]{12}");

        @Override
        public String convert(String value) {
            return checked(value, FORM, "berth.scheduler.account", "BERTH_SCHEDULER_ACCOUNT",
                    "an account id is 12 digits", "000000000000");
        }
    }
}
