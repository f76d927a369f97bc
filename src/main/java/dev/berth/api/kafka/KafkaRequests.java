package dev.berth.api.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.berth.api.EcsAction;
import dev.berth.api.EcsDispatcher;
import dev.berth.api.EcsOperations;
import dev.berth.protocol.BerthRecord;
import dev.berth.protocol.ClientTokenRecord;
import dev.berth.protocol.EcsRequestMessage;
import dev.berth.protocol.EcsResponseMessage;
import dev.berth.protocol.RecordCodec;
import dev.berth.protocol.Topic;
import dev.berth.scheduler.ClientTokens;
import dev.berth.scheduler.DeferredPlans;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.RequestScope;
import dev.berth.scheduler.RequestTransaction;
import dev.berth.scheduler.SchedulerRole;
import dev.berth.scheduler.SchedulerUnavailableException;
import dev.berth.scheduler.StateChange;
import dev.berth.scheduler.messaging.RequestConsumer;
import dev.berth.scheduler.state.SchedulerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The ECS API on Kafka: carries out a record of berth.requests through the same
 * {@link EcsDispatcher} as the HTTP API, and returns what to write with the record's position
 * (package-info has the whole protocol).
 */
@ApplicationScoped
public class KafkaRequests implements RequestConsumer.Handler {

    /** The marker of a request on berth.client-tokens: {@code kafka-request/<request id>}. */
    public static final String MARKER_PREFIX = "kafka-request/";
    /**
     * The marker of a record answered without a request marker that names it (a refusal, a
     * conflict, a request answered again): read again after a failover, it is not answered twice.
     */
    static final String RECORD_MARKER_PREFIX = "kafka-record/";
    /** Operations whose own clientToken makes a second dispatch answer the first one's result. */
    private static final Set<String> TOKENED = Set.of("RunTask", "CreateService");
    /**
     * The largest response kept: it is written twice (response and marker), each in a record
     * under Kafka's default 1 MiB limit.
     */
    private static final int MAX_RESPONSE_BYTES = 512 * 1024;
    /** The status of {@link SchedulerUnavailableException}: the scheduler cannot serve now, retry. */
    private static final int UNAVAILABLE = 503;

    private static final Logger LOGGER = Logger.getLogger(KafkaRequests.class);

    private final EcsDispatcher dispatcher;
    private final SchedulerRole scheduler;
    private final Supplier<Optional<SchedulerState>> states;
    private final Set<String> operations;
    private final ObjectMapper mapper = RecordCodec.newMapper();
    private final ObjectMapper canonical = RecordCodec.newMapper().copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private final RecordCodec codec = new RecordCodec();
    private final AnswersApart answersApart = new AnswersApart();

    @Inject
    public KafkaRequests(@Any Instance<EcsAction<?>> actions, SchedulerRole scheduler) {
        this(actions, scheduler::state, scheduler);
    }

    /** Over {@code actions}, reading the scheduler's state from {@code states} (empty: it does not run). */
    KafkaRequests(Iterable<? extends EcsAction<?>> actions, Supplier<Optional<SchedulerState>> states,
            SchedulerRole scheduler) {
        this.dispatcher = new EcsDispatcher(actions);
        this.scheduler = scheduler;
        this.states = states;
        // The operations ECS has and Berth refuses are requests too: answered with the HTTP API's refusal.
        Set<String> known = new java.util.HashSet<>(dispatcher.operations());
        EcsOperations.all().stream().filter(o -> EcsOperations.refusal(o.name()).isPresent())
                .forEach(o -> known.add(o.name()));
        this.operations = Set.copyOf(known);
    }

    /** Called where the scheduler role runs, before it starts. */
    public void attach() {
        scheduler.serveRequests(this);
    }

    /**
     * The request id, from the key or, for a record without one, from its value's
     * {@code requestId}; none for a key that is no UTF-8 (the record is refused).
     */
    @Override
    public String turnKey(RequestConsumer.Received record) {
        if (record.keyUnreadable()) {
            return null;
        }
        if (record.key() != null && !record.key().isEmpty()) {
            return record.key();
        }
        return EcsRequestMessage.requestIdInValue(record.value(), mapper);
    }

    /**
     * The record's answer. Throws {@link SchedulerUnavailableException} when the scheduler
     * cannot serve it now (it stops, or no longer leads): the record is then read again, by the
     * next leader, since "not available" is no answer to keep for a day under its id. Any other
     * failure is answered ({@code ServerException}), as the HTTP API answers it, so that a record
     * that always fails is not read again for ever.
     */
    @Override
    public RequestConsumer.Answer handle(RequestConsumer.Received record) {
        String position = record.topic() + "-" + record.partition() + "@" + record.offset();
        SchedulerState state = states.get().orElseThrow(() -> new SchedulerUnavailableException(
                "The scheduler stopped before it served " + position + "; the next leader serves it."));
        Clock clock = state.clock();
        if (state.clientToken(RECORD_MARKER_PREFIX + position).isPresent()) {
            LOGGER.debugf("%s was answered before: read again, not answered twice", position);
            return RequestConsumer.Answer.of(List.of());
        }
        if (record.keyUnreadable()) {
            return RequestConsumer.Answer.of(List.of(refuseUnreadableKey(record), answeredHere(position, clock.instant())));
        }
        EcsRequestMessage.Decoded decoded = EcsRequestMessage.decode(record.key(), record.value(), operations, mapper);
        if (decoded instanceof EcsRequestMessage.Decoded.Invalid invalid) {
            List<StateChange> refusal = new ArrayList<>(refuse(record, invalid));
            refusal.add(answeredHere(position, clock.instant()));
            return RequestConsumer.Answer.of(refusal);
        }
        EcsRequestMessage.Decoded.Valid request = (EcsRequestMessage.Decoded.Valid) decoded;
        RequestTransaction transaction = new RequestTransaction();
        try {
            return answer(request, state, position, transaction);
        } catch (RuntimeException e) {
            // No answer joins its plans: the deferred ones are not written, the staged ones
            // commit on their own, with its marker.
            transaction.deferred().finished(false);
            transaction.split();
            if (e instanceof SchedulerUnavailableException) {
                throw e;
            }
            LOGGER.errorf(e, "Request %s (%s) at %s failed unexpectedly: answered ServerException", request.requestId(),
                    request.operation(), position);
            return RequestConsumer.Answer.of(List.of(respond(request, EcsErrorType.ServerException.httpStatus(),
                    EcsErrorType.ServerException.name(), "Berth failed to carry out request " + request.requestId()
                            + " (" + e.getClass().getSimpleName() + "); see the scheduler log. It may have acted in "
                            + "part: describe the resources it names before you send it again under a new id."),
                    answeredHere(position, clock.instant())));
        }
    }

    /** A request's answer, once the record is known to be one. */
    private RequestConsumer.Answer answer(EcsRequestMessage.Decoded.Valid request, SchedulerState state,
            String position, RequestTransaction transaction) {
        Clock clock = state.clock();
        String key = MARKER_PREFIX + request.requestId();
        String hash = hash(request);
        Optional<ClientTokenRecord> held = state.clientToken(key)
                .filter(t -> t.createdAt() == null || t.createdAt().plus(ClientTokens.TTL).isAfter(clock.instant()));
        if (held.isPresent() && !held.get().requestHash().equals(hash)) {
            LOGGER.infof("Request %s reuses the id of another request: refused", request.requestId());
            return RequestConsumer.Answer.of(List.of(respond(request, EcsErrorType.ConflictException.httpStatus(),
                    EcsErrorType.ConflictException.name(), "The request id " + request.requestId() + " was used by "
                            + "another, non-identical request within " + ClientTokens.TTL.toHours() + " hours; it was "
                            + "not carried out. Use a new request id for a new request."),
                    answeredHere(position, clock.instant())));
        }
        if (held.isPresent() && held.get().response() != null) {
            if (position.equals(held.get().answeredRecord())) {
                // This very record was answered (its position was committed below it, as the
                // records around it were served side by side): nothing more to write.
                LOGGER.debugf("Request %s at %s was answered before: read again, not answered twice",
                        request.requestId(), position);
                return RequestConsumer.Answer.of(List.of());
            }
            LOGGER.debugf("Request %s was answered before: the same answer again", request.requestId());
            return RequestConsumer.Answer.of(List.of(new StateChange.Publish(Topic.RESPONSES, request.requestId(),
                    held.get().response().getBytes(StandardCharsets.UTF_8)), answeredHere(position, clock.instant())));
        }
        ClientTokenRecord marker = held.orElseGet(() -> new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, key,
                request.operation(), hash, List.of(), List.of(), clock.instant(), null));
        byte[] response;
        Optional<String> keptAnswer = held.isPresent() ? answersApart.answer(key, hash) : Optional.empty();
        if (keptAnswer.isPresent()) {
            LOGGER.infof("Request %s (%s) acted and its answer was not committed: answering what it answered",
                    request.requestId(), request.operation());
            response = keptAnswer.get().getBytes(StandardCharsets.UTF_8);
        } else if (held.isPresent() && !TOKENED.contains(request.operation())) {
            LOGGER.warnf("Request %s (%s) acted before its answer was committed: not carried out again",
                    request.requestId(), request.operation());
            response = encode(error(request, EcsErrorType.ServerException.httpStatus(),
                    EcsErrorType.ServerException.name(), "Request " + request.requestId() + " (" + request.operation()
                            + ") was carried out, but the scheduler stopped before its answer was written; it was not "
                            + "carried out again. Describe the resources it names to see its effect."));
        } else {
            if (held.isPresent()) {
                LOGGER.infof("Request %s (%s) acted before its answer was committed: answering what it did, through "
                        + "its clientToken", request.requestId(), request.operation());
            }
            response = dispatch(request, marker, transaction);
        }
        ClientTokenRecord answered = new ClientTokenRecord(marker.schemaVersion(), marker.version() + 1, key,
                marker.operation(), hash, List.of(), List.of(), marker.createdAt(),
                new String(response, StandardCharsets.UTF_8), position);
        List<StateChange> changes = new ArrayList<>(transaction.deferred().changes());
        changes.add(new StateChange.Put(answered));
        changes.add(new StateChange.Publish(Topic.RESPONSES, request.requestId(), response));
        boolean actedApart = keptAnswer.isPresent();
        return new RequestConsumer.Answer(changes, committed -> {
            transaction.deferred().finished(committed);
            keepIfActedApart(key, hash, answered.response(), committed, actedApart || (transaction.staged() > 0
                    && transaction.phase() == RequestTransaction.Phase.SPLIT));
        }, transaction);
    }

    /**
     * After the answer's transaction: an answer that failed, of a request whose plans committed
     * without it (with its marker), is kept for the record read again, which would otherwise
     * be told only that the request acted; any other is forgotten.
     */
    private void keepIfActedApart(String marker, String hash, String response, boolean committed,
            boolean actedApart) {
        if (!committed && actedApart) {
            answersApart.keep(marker, hash, response);
        } else {
            answersApart.forget(marker);
        }
    }

    /**
     * Carries the request out as the HTTP API would, its plans marked as this request's and
     * joining {@code transaction}, to commit with the answer. RunTask and CreateService get a
     * clientToken derived from the request id when they have none, so that a request carried
     * out again after a failover answers what the first run did. An answer that is not a
     * success drops the deferred plans (RunTask's, StartTask's: nothing of them was written);
     * the staged ones commit with it, as they would have over HTTP. Throws
     * {@link SchedulerUnavailableException} for an answer that says the scheduler cannot serve now.
     */
    private byte[] dispatch(EcsRequestMessage.Decoded.Valid request, ClientTokenRecord marker,
            RequestTransaction transaction) {
        DeferredPlans deferred = transaction.deferred();
        ObjectNode body = ((ObjectNode) request.request()).deepCopy();
        if (TOKENED.contains(request.operation()) && !body.hasNonNull("clientToken")) {
            body.put("clientToken", "berth-request-" + sha256(request.requestId()).substring(0, 40));
        }
        EcsDispatcher.Reply reply = RequestScope.within(marker, transaction,
                () -> dispatcher.dispatch(EcsDispatcher.TARGET_PREFIX + request.operation(), body));
        if (reply.status() == UNAVAILABLE) {
            // The control plane is gone (the scheduler stops, or no longer leads): no answer.
            throw new SchedulerUnavailableException("Request " + request.requestId() + " (" + request.operation()
                    + ") was not served here: " + reply.body());
        }
        if (reply.status() != 200 && !deferred.isEmpty()) {
            LOGGER.warnf("Request %s (%s) answered %d after placing its tasks: the tasks are not written",
                    request.requestId(), request.operation(), reply.status());
            deferred.finished(false);
        }
        // The dispatcher's JSON goes into the response as it is, not parsed again.
        JsonNode answer = mapper.getNodeFactory().rawValueNode(new RawValue(reply.body()));
        byte[] response = encode(new EcsResponseMessage(EcsResponseMessage.SCHEMA_VERSION, request.requestId(),
                request.operation(), reply.status(), answer));
        if (response.length > MAX_RESPONSE_BYTES) {
            return encode(error(request, 500, EcsErrorType.ServerException.name(), "The answer to request "
                    + request.requestId() + " (HTTP status " + reply.status() + ") is larger than "
                    + MAX_RESPONSE_BYTES + " bytes, more than a response record carries; the request was carried out "
                    + "as far as that status says. Ask for less (maxResults), or use the HTTP API."));
        }
        return response;
    }

    /**
     * A record that is no request: a dead letter, and an error response when it has an id, under
     * that id as given (also one that is too long), unless the response would be larger than
     * {@link #MAX_RESPONSE_BYTES}: a record the writer could not send would abort the
     * transaction, and the record would be read again for ever.
     */
    private List<StateChange> refuse(RequestConsumer.Received record, EcsRequestMessage.Decoded.Invalid invalid) {
        String key = DeadLetterValues.key(record);
        String reason = invalid.errorType() + ": " + invalid.reason();
        StateChange response = null;
        if (invalid.requestId() != null) {
            byte[] value = encode(new EcsResponseMessage(EcsResponseMessage.SCHEMA_VERSION, invalid.requestId(), invalid.operation(),
                    400, errorBody(invalid.errorType(), invalid.reason())));
            if (value.length + invalid.requestId().getBytes(StandardCharsets.UTF_8).length <= MAX_RESPONSE_BYTES) {
                response = new StateChange.Publish(Topic.RESPONSES, invalid.requestId(), value);
            } else {
                reason += " No response was sent: one under this request id would be larger than "
                        + MAX_RESPONSE_BYTES + " bytes.";
            }
        }
        LOGGER.warnf("Setting aside %s-%d@%d (key %s) on the dead-letter topic: %s", record.topic(),
                record.partition(), record.offset(), key, reason);
        List<StateChange> changes = new ArrayList<>();
        changes.add(new StateChange.Publish(Topic.DEAD_LETTERS, key, codec.encode(DeadLetterValues.of(record,
                reason, now()))));
        if (response != null) {
            changes.add(response);
        }
        return changes;
    }

    /**
     * A record whose key is no UTF-8: a dead letter only. A request id is text, and a response
     * keyed by any other text than the key would reach another request's producer.
     */
    private StateChange refuseUnreadableKey(RequestConsumer.Received record) {
        String reason = DeadLetterValues.keyNotUtf8(record);
        LOGGER.warnf("Setting aside %s-%d@%d on the dead-letter topic: %s", record.topic(), record.partition(),
                record.offset(), reason);
        return new StateChange.Publish(Topic.DEAD_LETTERS, null, codec.encode(DeadLetterValues.of(record, reason,
                now())));
    }

    /** The marker that this record, answered without a request marker naming it, was answered. */
    private static StateChange answeredHere(String position, Instant now) {
        return new StateChange.Put(new ClientTokenRecord(BerthRecord.SCHEMA_VERSION, 1, RECORD_MARKER_PREFIX + position,
                "record", "", List.of(), List.of(), now, null, position));
    }

    private Instant now() {
        return states.get().map(s -> s.clock().instant()).orElseGet(Instant::now);
    }

    private StateChange respond(EcsRequestMessage.Decoded.Valid request, int status, String type, String message) {
        return new StateChange.Publish(Topic.RESPONSES, request.requestId(),
                encode(error(request, status, type, message)));
    }

    private EcsResponseMessage error(EcsRequestMessage.Decoded.Valid request, int status, String type,
            String message) {
        return new EcsResponseMessage(EcsResponseMessage.SCHEMA_VERSION, request.requestId(), request.operation(),
                status, errorBody(type, message));
    }

    private JsonNode errorBody(String type, String message) {
        return mapper.createObjectNode().put("__type", type).put("message", message);
    }

    private byte[] encode(EcsResponseMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a response", e);
        }
    }

    /** SHA-256 of the operation and the request body, fields in name order: what a retry must repeat. */
    private String hash(EcsRequestMessage.Decoded.Valid request) {
        try {
            Object tree = canonical.treeToValue(request.request(), Object.class);
            return sha256(request.operation() + "\n" + canonical.writeValueAsString(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a request read as JSON", e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
