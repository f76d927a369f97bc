package dev.berth.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value on one of Berth's topics. Every value names its {@code type}, carries the
 * {@code schemaVersion} it was written with and a per-entity, monotonic {@code version}.
 * A reader drops a version older than the one it holds, and skips types it does not know
 * (the codec decodes those to {@link RecordCodec.Decoded.Unknown}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InstanceRegistration.class, name = "InstanceRegistration"),
        @JsonSubTypes.Type(value = DesiredTask.class, name = "DesiredTask"),
        @JsonSubTypes.Type(value = TaskStateChange.class, name = "TaskStateChange"),
        @JsonSubTypes.Type(value = ClusterRecord.class, name = "Cluster"),
        @JsonSubTypes.Type(value = TaskDefinitionRecord.class, name = "TaskDefinition"),
        @JsonSubTypes.Type(value = DeadLetter.class, name = "DeadLetter"),
        @JsonSubTypes.Type(value = LeaderRecord.class, name = "Leader"),
        @JsonSubTypes.Type(value = ClientTokenRecord.class, name = "ClientToken"),
        @JsonSubTypes.Type(value = InstanceControl.class, name = "InstanceControl"),
        @JsonSubTypes.Type(value = ServiceRecord.class, name = "Service"),
        @JsonSubTypes.Type(value = AccountSettingRecord.class, name = "AccountSetting"),
})
public sealed interface BerthRecord
        permits InstanceRegistration, DesiredTask, TaskStateChange, ClusterRecord, TaskDefinitionRecord, DeadLetter,
        LeaderRecord, ClientTokenRecord, InstanceControl, ServiceRecord, AccountSettingRecord {

    /** The schema this code writes. Readers accept any version they know the type of. */
    int SCHEMA_VERSION = 1;

    int schemaVersion();

    long version();
}
