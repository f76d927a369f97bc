package dev.berth.agent.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Docker engine on a loopback port that answers every request with one scripted answer:
 * a status and JSON lines, as Docker streams a pull's progress, and then closes the
 * connection. It keeps the head of every request it was sent.
 */
final class ScriptedDockerEngine implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> requests = new ArrayList<>();

    private ScriptedDockerEngine(ServerSocket socket) {
        this.socket = socket;
    }

    static ScriptedDockerEngine answering(int status, String... lines) throws IOException {
        ScriptedDockerEngine engine = new ScriptedDockerEngine(new ServerSocket(0, 50,
                InetAddress.getLoopbackAddress()));
        byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        Thread acceptor = new Thread(() -> engine.answer(status, body), "scripted-engine");
        acceptor.setDaemon(true);
        acceptor.start();
        return engine;
    }

    String host() {
        return "tcp://127.0.0.1:" + socket.getLocalPort();
    }

    /** The heads (request line and headers) of the requests received so far. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void answer(int status, byte[] body) {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                String head = readHead(connection.getInputStream());
                synchronized (requests) {
                    requests.add(head);
                }
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 " + status + " Scripted\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads up to the blank line that ends a request's head: the requests here have no body. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
