package dev.berth.agent.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.transport.SSLConfig;
import java.net.URI;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class SocketWithoutTlsTest {

    @Test
    void aUnixSocketGetsAContextThatRefusesEveryUse() throws Exception {
        // Given
        URI host = URI.create("unix:///var/run/docker.sock");

        // When
        SSLConfig settings = SocketWithoutTls.forHost(host, null);

        // Then
        assertThat(settings).isNotNull();
        SSLContext context = settings.getSSLContext();
        assertThatThrownBy(context::getSocketFactory).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("unix socket");
        assertThatThrownBy(context::createSSLEngine).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aTcpEngineKeepsDockerJavasChoiceForHttpOrHttps() throws Exception {
        // Given
        SSLConfig configured = SSLContext::getDefault;

        // When, Then: a context at all would turn tcp:// into HTTPS
        assertThat(SocketWithoutTls.forHost(URI.create("tcp://127.0.0.1:2375"), null)).isNull();
        assertThat(SocketWithoutTls.forHost(URI.create("tcp://127.0.0.1:2376"), configured)).isSameAs(configured);
        assertThat(SocketWithoutTls.forHost(URI.create("unix:///var/run/docker.sock"), configured))
                .isSameAs(configured);
    }
}
