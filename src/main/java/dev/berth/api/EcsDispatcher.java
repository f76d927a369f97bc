package dev.berth.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.berth.protocol.RecordCodec;
import dev.berth.scheduler.EcsErrorType;
import dev.berth.scheduler.EcsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Routes an ECS JSON 1.1 call to its action and turns every outcome into an answer: a JSON
 * body with HTTP 200, or an ECS error body ({@code __type}, {@code message}) with 400 for the
 * caller's mistakes and 5xx for Berth's. Never a stack trace, never an unhandled exception.
 */
public final class EcsDispatcher {

    public static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";

    private static final Logger LOGGER = Logger.getLogger(EcsDispatcher.class);

    private final Map<String, EcsAction<?>> actions = new HashMap<>();
    private final ObjectMapper mapper = RecordCodec.newMapper();

    public EcsDispatcher(Iterable<? extends EcsAction<?>> actions) {
        for (EcsAction<?> action : actions) {
            this.actions.put(action.operation(), action);
        }
    }

    /**
     * An answer: HTTP status and JSON body, as the UTF-8 bytes that go on the wire (an HTTP
     * response or a record of berth.responses), so that no copy of them is made as text.
     */
    public record Reply(int status, byte[] json) {

        public Reply(int status, String body) {
            this(status, body.getBytes(StandardCharsets.UTF_8));
        }

        /** The body as text. */
        public String body() {
            return new String(json, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Reply reply && reply.status == status && Arrays.equals(reply.json, json);
        }

        @Override
        public int hashCode() {
            return 31 * status + Arrays.hashCode(json);
        }

        @Override
        public String toString() {
            return "Reply[status=" + status + ", body=" + body() + "]";
        }
    }

    public List<String> operations() {
        return actions.keySet().stream().sorted().toList();
    }

    /** Whether the call named by this {@code X-Amz-Target} changes state (false when unknown). */
    public boolean isWrite(String target) {
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            return false;
        }
        EcsAction<?> action = actions.get(target.substring(TARGET_PREFIX.length()));
        return action != null && action.isWrite();
    }

    /** Answers a call whose body is the bytes the caller sent (HTTP). */
    public Reply dispatch(String target, byte[] body) {
        return answer(target, () -> parse(body));
    }

    /** Answers a call whose body was read as JSON already (a record of berth.requests). */
    public Reply dispatch(String target, JsonNode body) {
        return answer(target, () -> body == null ? NullNode.getInstance() : body);
    }

    private Reply answer(String target, java.util.function.Supplier<JsonNode> body) {
        try {
            EcsAction<?> action = resolve(target);
            return new Reply(200, mapper.writeValueAsBytes(run(action, body.get())));
        } catch (EcsException e) {
            return error(e.httpStatus(), e.type().name(), e.getMessage());
        } catch (JsonProcessingException | RuntimeException e) {
            LOGGER.errorf(e, "ECS call %s failed unexpectedly", target);
            return error(500, EcsErrorType.ServerException.name(),
                    "Berth failed to process the request (" + e.getClass().getSimpleName() + "); see the scheduler log.");
        }
    }

    private EcsAction<?> resolve(String target) {
        if (target == null || target.isBlank()) {
            throw new EcsException(EcsErrorType.UnknownOperationException,
                    "Missing X-Amz-Target header: expected " + TARGET_PREFIX + "<Operation>.");
        }
        String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : null;
        EcsAction<?> action = operation == null ? null : actions.get(operation);
        if (action == null && operation != null) {
            EcsOperations.refusal(operation).ifPresent(refusal -> {
                throw refusal;
            });
        }
        if (action == null) {
            throw new EcsException(EcsErrorType.UnknownOperationException,
                    "Unknown operation " + target + ": Berth does not implement it.");
        }
        return action;
    }

    private JsonNode parse(byte[] body) {
        if (body == null || isBlank(body)) {
            return NullNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new EcsException(EcsErrorType.SerializationException,
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a request body held in memory", e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private <Q> Object run(EcsAction<Q> action, JsonNode request) {
        Q typed;
        try {
            typed = request.isNull() || request.isMissingNode()
                    ? mapper.readValue("{}", action.requestType())
                    : mapper.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                            .treeToValue(request, action.requestType());
        } catch (UnrecognizedPropertyException e) {
            throw unsupportedParameter(action.operation(), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new EcsException(EcsErrorType.SerializationException,
                    "The request does not match " + action.operation() + "Request: " + detail);
        }
        return action.handle(typed);
    }

    /**
     * A request field that the action does not model is one Berth does not honour: it is
     * refused by its path, never dropped.
     */
    private static EcsException unsupportedParameter(String operation, UnrecognizedPropertyException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return EcsException.invalidParameter("Invalid '" + path + "': Berth does not support this parameter of "
                + operation + ". Leave it out, or see the README's compatibility matrix.");
    }

    /** An ECS error answer, also for refusals decided before dispatch (authentication). */
    public Reply error(int status, String type, String message) {
        try {
            return new Reply(status, mapper.writeValueAsBytes(new EcsError(type, message)));
        } catch (JsonProcessingException e) {
            return new Reply(500, "{\"__type\":\"ServerException\",\"message\":\"cannot encode the error\"}");
        }
    }
}
