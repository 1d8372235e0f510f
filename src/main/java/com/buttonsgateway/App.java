package com.buttonsgateway;

import org.apache.camel.main.Main;

/** Starts the gateway: Camel Main with application.properties and the YAML routes from {@code <gateway.home>/routes}. */
public final class App {

    private App() {
    }

    /**
     * On a machine with 1 or 2 CPUs the JDK's common pool gets parallelism 1, and CompletableFuture's default executor
     * then starts a new thread for every async step. java.net.http's sendAsync takes one such step per request, so
     * every provider call would cost a thread start (measured: half the CPU of a 300 ms, 256-call run). Two workers
     * avoid that; a value the user set is kept. Set before anything touches the pool.
     */
    static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) throws Exception {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        newMain().run(args);
    }

    /** The gateway's Main, as {@code java -jar} runs it (tests start the same one). */
    public static Main newMain() {
        // no main class: Main(App.class) would scan this package and configure GatewayConfiguration a second time
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.configure().addConfiguration(com.buttonsgateway.config.GatewayConfiguration.class);
        return main;
    }
}
