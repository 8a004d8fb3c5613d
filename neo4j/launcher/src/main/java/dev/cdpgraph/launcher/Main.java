package dev.cdpgraph.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts Neo4j Community embedded with only the Bolt connector, bound to loopback, and keeps it
 * running until SIGTERM/SIGINT. It prints one line "READY bolt://host:port" and writes the same URI
 * to DATA_DIR/ready once Bolt accepts connections, so scripts can wait on it.
 *
 * <p>Authentication is off: the listener only accepts loopback connections and this is the
 * development and test database. Point the server at a real deployment with NEO4J_URI instead.
 */
public final class Main {
  public static void main(String[] args) throws Exception {
    Options opts = Options.parse(args);
    Path home = opts.dataDir.toAbsolutePath();
    Files.createDirectories(home);
    Path readyFile = home.resolve("ready");
    Files.deleteIfExists(readyFile);

    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(opts.host, opts.port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(opts.host, opts.port))
            .setConfig(HttpConnector.enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            // The defaults size the page cache and transaction memory from the machine's RAM,
            // which would take half of it; a dev/test database needs far less.
            .setConfig(GraphDatabaseSettings.pagecache_memory, opts.pageCacheBytes)
            .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, opts.txMemoryBytes)
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
            .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("STOPPING");
                  try {
                    Files.deleteIfExists(readyFile);
                  } catch (IOException ignored) {
                    // best effort: a stale ready file is rechecked against the port anyway
                  }
                  dbms.shutdown();
                  System.out.println("STOPPED");
                  stopped.countDown();
                },
                "neo4j-shutdown"));

    // Bolt binds asynchronously; only announce readiness once a client can really connect.
    waitForPort(opts.host, opts.port, Duration.ofSeconds(120));
    String uri = "bolt://" + opts.host + ":" + opts.port;
    Files.writeString(readyFile, uri + "\n", StandardCharsets.UTF_8);
    System.out.println("READY " + uri);
    System.out.flush();
    stopped.await();
  }

  private static void waitForPort(String host, int port, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("Bolt did not start listening on " + host + ":" + port);
  }

  /** Command-line options; every one has a default suited to a laptop or CI machine. */
  static final class Options {
    String host = "127.0.0.1";
    int port = 7687;
    Path dataDir = Path.of("data", "neo4j");
    long pageCacheBytes = ByteUnit.mebiBytes(256);
    long txMemoryBytes = ByteUnit.mebiBytes(1024);

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw usage("missing value for " + a);
        }
        String v = args[++i];
        switch (a) {
          case "--host" -> o.host = v;
          case "--port" -> o.port = Integer.parseInt(v);
          case "--data" -> o.dataDir = Path.of(v);
          case "--page-cache" -> o.pageCacheBytes = parseBytes(v);
          case "--tx-memory" -> o.txMemoryBytes = parseBytes(v);
          default -> throw usage("unknown option " + a);
        }
      }
      return o;
    }

    static long parseBytes(String v) {
      String s = v.trim().toLowerCase();
      long mult = 1;
      if (s.endsWith("g")) {
        mult = ByteUnit.gibiBytes(1);
      } else if (s.endsWith("m")) {
        mult = ByteUnit.mebiBytes(1);
      } else if (s.endsWith("k")) {
        mult = ByteUnit.kibiBytes(1);
      }
      if (mult != 1) {
        s = s.substring(0, s.length() - 1);
      }
      return Long.parseLong(s) * mult;
    }

    static IllegalArgumentException usage(String msg) {
      return new IllegalArgumentException(
          msg
              + "\nusage: launcher [--host 127.0.0.1] [--port 7687] [--data data/neo4j]"
              + " [--page-cache 256m] [--tx-memory 1g]");
    }
  }
}
