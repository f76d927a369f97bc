package dev.berth.scheduler;

import dev.berth.model.Arns;
import dev.berth.scheduler.placement.PlacementStack;
import dev.berth.scheduler.services.ServiceScheduler;
import dev.berth.scheduler.state.InstanceView;
import dev.berth.scheduler.state.SchedulerState;
import java.util.Map;
import java.util.concurrent.locks.Lock;

/**
 * The scheduler's operations over one state and one writer. Every mutation takes the same
 * lock: one writer, so revisions, versions and placements never race (DESIGN.md §5). Reads
 * take only the state's monitor.
 */
public final class ControlPlane {

    private final SchedulerState state;
    private final Arns arns;
    private final Clusters clusters;
    private final TaskDefinitions taskDefinitions;
    private final Tasks tasks;
    private final ContainerInstances containerInstances;
    private final Services services;
    private final Attributes attributes;
    private final Tags tags;
    private final AccountSettings accountSettings;
    private final TaskProtection taskProtection;
    private final ServiceScheduler serviceScheduler;

    public ControlPlane(SchedulerState state, StateWriter writer, Arns arns) {
        this(state, writer, arns, SchedulerObserver.NONE);
    }

    public ControlPlane(SchedulerState state, StateWriter writer, Arns arns, SchedulerObserver observer) {
        Lock writeLock = new ReleasingLock();
        this.state = state;
        this.arns = arns;
        this.clusters = new Clusters(state, writer, writeLock);
        this.taskDefinitions = new TaskDefinitions(state, writer, writeLock, arns);
        // Taken before writeLock by whatever changes a record that a service's pass may change too.
        Lock serviceLock = new ReleasingLock();
        this.tasks = new Tasks(state, writer, writeLock, serviceLock, arns, clusters, taskDefinitions,
                PlacementStack.binpack(), observer);
        this.containerInstances = new ContainerInstances(state, writer, writeLock, serviceLock, clusters, arns);
        this.attributes = new Attributes(state, writer, writeLock, clusters, arns);
        this.serviceScheduler = new ServiceScheduler(state, tasks.applier(), new java.util.Random(), arns,
                serviceLock);
        this.services = new Services(state, writer, serviceLock, arns, clusters, taskDefinitions,
                serviceScheduler::daemonHostCount);
        this.tags = new Tags(state, writer, writeLock, serviceLock, arns, clusters);
        this.accountSettings = new AccountSettings(state, writer, writeLock, arns.partition(), arns.account());
        this.taskProtection = new TaskProtection(state, writer, writeLock, serviceLock, clusters, tasks);
    }

    public SchedulerState state() {
        return state;
    }

    /** The attributes of a container instance (the agent's and custom ones); none when it is unknown. */
    public Map<String, String> instanceAttributes(String instanceId) {
        return state.instance(instanceId).map(InstanceView::attributes).orElse(Map.of());
    }

    public Arns arns() {
        return arns;
    }

    public Clusters clusters() {
        return clusters;
    }

    public TaskDefinitions taskDefinitions() {
        return taskDefinitions;
    }

    public Tasks tasks() {
        return tasks;
    }

    public ContainerInstances containerInstances() {
        return containerInstances;
    }

    public Attributes attributes() {
        return attributes;
    }

    /** TagResource, UntagResource, ListTagsForResource. */
    public Tags tags() {
        return tags;
    }

    /** ListAccountSettings, PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting. */
    public AccountSettings accountSettings() {
        return accountSettings;
    }

    /** UpdateTaskProtection, GetTaskProtection. */
    public TaskProtection taskProtection() {
        return taskProtection;
    }

    public Services services() {
        return services;
    }

    /** Keeps the services at their desired state: run by the leader's reconcile loop. */
    public ServiceScheduler serviceScheduler() {
        return serviceScheduler;
    }
}
