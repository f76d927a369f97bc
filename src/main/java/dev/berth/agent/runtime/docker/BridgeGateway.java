package dev.berth.agent.runtime.docker;

import com.github.dockerjava.api.model.Network;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where bridge-mode containers reach the host: the gateway of Docker's default bridge network.
 * Docker does not always say: when its bridge already existed as it started (a restarted
 * engine, or a bridge made outside Docker), {@code docker network inspect bridge} lists the
 * subnet without a gateway. The gateway is then the bridge device's own IPv4 address, which is
 * what the containers route to, read from the host's interfaces by the device name that the
 * network's options give.
 */
final class BridgeGateway {

    /** The option that names the bridge device, as {@code docker network inspect} shows it. */
    static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";
    /** Docker's own default, for a network that does not name its device. */
    static final String DEFAULT_BRIDGE = "docker0";

    private BridgeGateway() {
    }

    /**
     * The gateway Docker reports, else the address of the bridge device on this host.
     *
     * @param interfaceAddress a device name to its IPv4 address, empty when this host has none
     */
    static Optional<String> of(Network bridge, Function<String, Optional<String>> interfaceAddress) {
        if (bridge.getIpam() != null && bridge.getIpam().getConfig() != null) {
            Optional<String> reported = bridge.getIpam().getConfig().stream().map(Network.Ipam.Config::getGateway)
                    .filter(gateway -> gateway != null && gateway.contains(".")).findFirst();
            if (reported.isPresent()) {
                return reported;
            }
        }
        Map<String, String> options = bridge.getOptions() == null ? Map.of() : bridge.getOptions();
        return interfaceAddress.apply(options.getOrDefault(BRIDGE_NAME_OPTION, DEFAULT_BRIDGE));
    }

    /** The first IPv4 address of one of this host's network devices; empty when there is no such device. */
    static Optional<String> hostInterfaceAddress(String device) {
        try {
            NetworkInterface found = NetworkInterface.getByName(device);
            if (found == null) {
                return Optional.empty();
            }
            return found.inetAddresses().filter(Inet4Address.class::isInstance).map(a -> a.getHostAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
