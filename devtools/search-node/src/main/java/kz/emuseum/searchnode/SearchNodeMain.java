package kz.emuseum.searchnode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.transport.TransportAddress;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * Starts one OpenSearch 2.19 node inside this JVM, for development and CI only.
 *
 * <p>Why embedded rather than the official distribution: Maven Central carries the server and
 * module jars but no distribution with modules, so an embedded node is the one way to get a real
 * engine from Maven alone. Consequences worth knowing: no SecurityManager, no bootstrap checks and
 * no jar-hell check run, so this is fit for testing clients, not for judging a production setup.
 *
 * <p>Usage: {@code SearchNodeMain --home DIR [--port 9200] [--data DIR] [--cluster-name NAME]}.
 * Port 0 lets the OS choose; the real port is printed on the {@code READY} line.
 */
public final class SearchNodeMain {

    /** Stand-in for analysis-icu, used only when the official plugin is not on the classpath. */
    private static final String OWN_ICU = "kz.emuseum.searchnode.IcuAnalysisPlugin";

    /**
     * Plugin classes tried in order. A missing one is skipped with a log line, so a trimmed
     * target/lib still starts (Netty4 alone is indispensable: without it there is no HTTP port).
     */
    private static final List<String> PLUGIN_CLASSES = List.of(
        "org.opensearch.transport.Netty4Plugin",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.painless.PainlessPlugin",
        "org.opensearch.index.reindex.ReindexPlugin",
        "org.opensearch.join.ParentJoinPlugin",
        "org.opensearch.percolator.PercolatorPlugin",
        "org.opensearch.index.rankeval.RankEvalPlugin",
        "org.opensearch.script.mustache.MustachePlugin",
        "org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin",
        "org.opensearch.plugin.analysis.icu.AnalysisICUPlugin",
        OWN_ICU
    );

    private SearchNodeMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseOptions(args);
        Path home = Path.of(required(options, "home")).toAbsolutePath();
        Path data = Path.of(options.getOrDefault("data", home.resolve("data").toString())).toAbsolutePath();
        String port = options.getOrDefault("port", "9200");
        String clusterName = options.getOrDefault("cluster-name", "emuseum-dev");

        Path config = home.resolve("config");
        for (Path dir : List.of(config, home.resolve("modules"), home.resolve("plugins"),
                                home.resolve("logs"), data)) {
            Files.createDirectories(dir);
        }

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", clusterName)
            .put("node.name", "node-1")
            // Loopback only: keeps the node in development mode and never exposes it.
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "0")
            .put("discovery.type", "single-node")
            // Dev disks are often nearly full; watermarks would flip indices to read-only.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            // One node can never place replicas: keep new indices green.
            .put("cluster.default_number_of_replicas", 0)
            // Test teardown deletes by wildcard.
            .put("action.destructive_requires_name", false)
            .build();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), config, () -> "node-1");

        List<Class<? extends Plugin>> plugins = loadPlugins();
        Node node = new ClasspathPluginNode(environment, plugins);

        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(10, TimeUnit.SECONDS)) {
                    System.err.println("search-node: node did not close within 10 s");
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("search-node: error while closing: " + e);
            } finally {
                System.out.println("STOPPED");
                System.out.flush();
                closed.countDown();
            }
        }, "search-node-shutdown"));

        node.start();
        keepNewIndicesWithoutReplicas(node);
        TransportAddress http = node.injector().getInstance(HttpServerTransport.class)
            .boundAddress().publishAddress();
        System.out.println("READY http://127.0.0.1:" + http.getPort());
        System.out.flush();
        closed.await();
    }

    /**
     * 2.19 reads cluster.default_number_of_replicas for new indices from the persistent/transient
     * cluster settings only, not from node settings, so the node setting above alone leaves every
     * new index yellow with an unassigned replica. Persisting it fixes that (and survives restarts).
     */
    private static void keepNewIndicesWithoutReplicas(Node node) {
        node.client().admin().cluster().prepareUpdateSettings()
            .setPersistentSettings(Settings.builder().put("cluster.default_number_of_replicas", 0))
            .get();
    }

    @SuppressWarnings("unchecked")
    private static List<Class<? extends Plugin>> loadPlugins() {
        List<Class<? extends Plugin>> loaded = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String className : PLUGIN_CLASSES) {
            if (className.equals(OWN_ICU) && names.contains("AnalysisICUPlugin")) {
                continue; // the official plugin registers the same names; two would clash
            }
            try {
                Class<?> type = Class.forName(className, true, SearchNodeMain.class.getClassLoader());
                loaded.add((Class<? extends Plugin>) type.asSubclass(Plugin.class));
                names.add(type.getSimpleName());
            } catch (ClassNotFoundException | LinkageError e) {
                System.out.println("search-node: plugin " + className + " not on classpath, skipped ("
                    + e.getClass().getSimpleName() + ")");
            }
        }
        System.out.println("PLUGINS " + String.join(",", names));
        return loaded;
    }

    private static Map<String, String> parseOptions(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length) {
                throw usage("expected --name value pairs, got '" + arg + "'");
            }
            options.put(arg.substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw usage("--" + name + " is required");
        }
        return value;
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem
            + "; usage: SearchNodeMain --home DIR [--port 9200] [--data DIR] [--cluster-name NAME]");
    }
}
