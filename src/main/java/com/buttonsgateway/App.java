package com.buttonsgateway;

import org.apache.camel.main.Main;

/** Starts the gateway: Camel Main with application.properties and the YAML routes from {@code <gateway.home>/routes}. */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    /** The gateway's Main, as {@code java -jar} runs it (tests start the same one). */
    public static Main newMain() {
        // no main class: Main(App.class) would scan this package and configure GatewayConfiguration a second time
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.configure().addConfiguration(GatewayConfiguration.class);
        return main;
    }
}
