package io.ponte.node.publish;

import io.ponte.testing.NodeStorageTestProfile;
import io.ponte.testing.TestDatabases;
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

    /**
     * TEMPORARY, until hubfhir injects its EntityManager lazily: hub beans inject
     * {@code @PersistenceUnit("hub") EntityManager} directly, and since Quarkus 3.2x an injected inactive
     * persistence unit fails start-up, so no node process can start. Activating the hub unit on the test node
     * (its own test database) lets the publisher be tested meanwhile. Remove when NodeRoleTest passes again.
     */
    static final Map<String, String> HUB_UNIT_WORKAROUND = Map.of(
            "quarkus.datasource.hub.active", "true",
            "quarkus.hibernate-orm.hub.active", "true",
            "quarkus.flyway.hub.active", "true",
            "quarkus.datasource.hub.jdbc.url", TestDatabases.url("ponte_hub_test"));

    @Override
    protected String suffix() {
        return "-publish";
    }

    @Override
    protected Map<String, String> extra() {
        Map<String, String> config = new HashMap<>();
        config.put("ponte.node.publish.hub-url", "http://127.0.0.1:" + CLOSED_PORT);
        config.put("ponte.node.publish.quiet-period", "1s");
        config.put("ponte.node.publish.poll-interval", "1s");
        config.put("ponte.node.publish.retry.initial", "200ms");
        config.put("ponte.node.publish.retry.max", "1500ms");
        config.putAll(HUB_UNIT_WORKAROUND);
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
