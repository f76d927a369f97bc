package dev.berth.api;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The ECS JSON 1.1 API: {@code POST /} with {@code X-Amz-Target:
 * AmazonEC2ContainerServiceV20141113.<Operation>}. Any content type is accepted (the SDKs
 * send {@code application/x-amz-json-1.1}); the body is parsed by the dispatcher so that
 * malformed JSON becomes an ECS error, not a framework one. Runs on a worker thread: calls
 * wait for Kafka's acknowledgement.
 */
@Path("/")
public class EcsEndpoint {

    public static final String AMZ_JSON = "application/x-amz-json-1.1";

    private final EcsDispatcher dispatcher;

    @Inject
    public EcsEndpoint(@Any Instance<EcsAction<?>> actions) {
        this.dispatcher = new EcsDispatcher(actions);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response call(@HeaderParam("X-Amz-Target") String target, String body) {
        EcsDispatcher.Reply reply = dispatcher.dispatch(target, body);
        return Response.status(reply.status()).type(AMZ_JSON).entity(reply.body()).build();
    }
}
