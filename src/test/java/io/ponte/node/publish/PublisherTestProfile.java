package io.ponte.node.publish;

import io.ponte.testing.NodeStorageTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * Node hospital-a with a fast publisher (1 s quiet period, short backoff) whose hub URL is a port nobody
 * listens on: the hub is down for the whole test.
 */
public class PublisherTestProfile extends NodeStorageTestProfile {

    static final int CLOSED_PORT = closedPort();

    @Override
    protected String suffix() {
        return "-publish";
    }

    @Override
    protected Map<String, String> extra() {
        Map<String, String> config = new HashMap<>();
        config.put("ponte.node.publish.enabled", "true");
        config.put("ponte.node.publish.hub-url", "http://127.0.0.1:" + CLOSED_PORT);
        config.put("ponte.node.publish.quiet-period", "1s");
        config.put("ponte.node.publish.poll-interval", "1s");
        config.put("ponte.node.publish.retry.initial", "200ms");
        config.put("ponte.node.publish.retry.max", "1500ms");
        return config;
    }

    /** A port that was free a moment ago and is closed now: connections to it are refused. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
