package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BridgeGatewayTest {

    private final List<String> asked = new ArrayList<>();
    private final Function<String, Optional<String>> devices = device -> {
        asked.add(device);
        return Optional.ofNullable(Map.of("docker0", "172.17.0.1", "br-berth", "10.99.0.1").get(device));
    };

    @Test
    void theGatewayDockerNamesComesFirst() throws Exception {
        // Given
        Network bridge = network("""
                {"Name":"bridge","IPAM":{"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]},
                 "Options":{"com.docker.network.bridge.name":"docker0"}}""");

        // Then
        assertThat(BridgeGateway.of(bridge, devices)).contains("172.18.0.1");
        assertThat(asked).isEmpty();
    }

    @Test
    void aBridgeListedWithoutAGatewayIsReachedAtItsDevicesAddress() throws Exception {
        // Given: how Docker lists a bridge that existed before the engine started
        Network bridge = network("""
                {"Name":"bridge","IPAM":{"Driver":"default","Config":[{"Subnet":"10.99.0.0/24"}]},
                 "Options":{"com.docker.network.bridge.default_bridge":"true",
                            "com.docker.network.bridge.name":"br-berth"}}""");

        // Then
        assertThat(BridgeGateway.of(bridge, devices)).contains("10.99.0.1");
        assertThat(asked).containsExactly("br-berth");
    }

    @Test
    void aBridgeThatNamesNoDeviceIsDocker0() throws Exception {
        // Given
        Network bridge = network("""
                {"Name":"bridge","IPAM":{"Config":[{"Subnet":"172.17.0.0/16","Gateway":""}]}}""");

        // Then
        assertThat(BridgeGateway.of(bridge, devices)).contains("172.17.0.1");
        assertThat(asked).containsExactly("docker0");
    }

    @Test
    void noGatewayAndNoSuchDeviceOnThisHostIsNone() throws Exception {
        // Given: the agent in its own network namespace, where the engine's bridge is not a device
        Network bridge = network("""
                {"Name":"bridge","IPAM":{"Config":[]},"Options":{"com.docker.network.bridge.name":"br-elsewhere"}}""");

        // Then
        assertThat(BridgeGateway.of(bridge, devices)).isEmpty();
    }

    @Test
    void theHostsOwnDevicesAreReadByName() {
        assertThat(BridgeGateway.hostInterfaceAddress("lo")).contains("127.0.0.1");
        assertThat(BridgeGateway.hostInterfaceAddress("no-such-device0")).isEmpty();
    }

    private static Network network(String json) throws Exception {
        return new ObjectMapper().readValue(json, Network.class);
    }
}
