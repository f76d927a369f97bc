package dev.berth.agent.runtime.docker;

import com.github.dockerjava.transport.SSLConfig;
import java.net.URI;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context docker-java gets for an engine on a unix socket, where no TLS is ever
 * spoken: one that refuses every use. Without a context of its own, docker-java's HTTP client
 * asks for the JVM's default one while it is built, whatever the scheme, and that initialises
 * the JDK's whole TLS stack and parses its CA certificates: some hundreds of classes and a
 * few MiB that the agent would keep for nothing (src/docs/agent-benchmark-history.md).
 * A {@code tcp://} engine keeps docker-java's own configuration: for it, a context at all
 * means HTTPS.
 */
final class SocketWithoutTls {

    private static final String REFUSAL = "The Docker engine is reached over a unix socket: no TLS";

    private SocketWithoutTls() {
    }

    /** The TLS settings for {@code dockerHost}: {@code configured} unless the engine is on a unix socket. */
    static SSLConfig forHost(URI dockerHost, SSLConfig configured) {
        if (configured == null && "unix".equals(dockerHost.getScheme())) {
            return Refusing::context;
        }
        return configured;
    }

    private static final class Refusing extends SSLContextSpi {

        static SSLContext context() {
            return new SSLContext(new Refusing(), new Provider("berth-unix-socket", "1", REFUSAL) {
                private static final long serialVersionUID = 1L;
            }, "none") {
            };
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new UnsupportedOperationException(REFUSAL);
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new UnsupportedOperationException(REFUSAL);
        }
    }
}
