package dev.berth.agent.runtime.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Statistics;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** One sample of a container's stats, in Docker's own JSON, and the bridge network's gateway. */
final class DockerStats {

    /** docker-java's model carries Docker's field names, so this writes Docker's JSON back. */
    private static final ObjectMapper MAPPER = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final String BRIDGE = "bridge";

    private DockerStats() {
    }

    static Optional<String> sample(DockerClient client, String id) throws InterruptedException, JsonProcessingException {
        AtomicReference<Statistics> sample = new AtomicReference<>();
        try (QuietCallback<Statistics> stats = client.statsCmd(id).withNoStream(true).exec(new QuietCallback<>() {
            @Override
            public void onNext(Statistics item) {
                sample.compareAndSet(null, item);
            }
        })) {
            stats.awaitEnd();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            // closing the stream failed after the sample arrived: the sample stands
        }
        return sample.get() == null ? Optional.empty() : ofRunning(sample.get());
    }

    /**
     * Docker's JSON of the sample; empty when it is Docker's answer for a container that does
     * not run (created or exited): a sample read at the zero time with every counter zero,
     * which is no measurement.
     */
    static Optional<String> ofRunning(Statistics sample) throws JsonProcessingException {
        return DockerContainers.time(sample.getRead()) == null ? Optional.empty() : Optional.of(json(sample));
    }

    /**
     * Docker's JSON of the sample, each field once: docker-java keeps every field it read in
     * the object's raw values, which its serializer writes after the typed fields (every key
     * twice), so the raw values alone are written when it kept them.
     */
    static String json(Statistics sample) throws JsonProcessingException {
        java.util.Map<String, Object> raw = sample.getRawValues();
        return MAPPER.writeValueAsString(raw == null || raw.isEmpty() ? sample : raw);
    }

    /** The gateway address of Docker's default bridge network: the host as bridge-mode containers reach it. */
    static Optional<String> bridgeGateway(DockerClient client) {
        Network bridge;
        try {
            bridge = client.inspectNetworkCmd().withNetworkId(BRIDGE).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        return BridgeGateway.of(bridge, BridgeGateway::hostInterfaceAddress);
    }
}
