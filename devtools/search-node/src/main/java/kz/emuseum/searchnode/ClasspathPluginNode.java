package kz.emuseum.searchnode;

import java.util.Collection;

import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * A Node that takes its plugins as classes already on the JVM classpath.
 *
 * <p>Why it exists: in OpenSearch 2.x the only constructor accepting classpath plugins is
 * protected, and the public one reads plugins solely from {@code modules/} and {@code plugins/}
 * directories, which would need unpacked plugin zips that Maven Central does not publish.
 * Not portable to 3.x, where that constructor takes {@code PluginInfo}s instead.
 */
final class ClasspathPluginNode extends Node {

    ClasspathPluginNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        // true = forbid private index settings, i.e. behave like a production node.
        super(environment, plugins, true);
    }
}
