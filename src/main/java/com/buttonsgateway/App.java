package com.buttonsgateway;

import org.apache.camel.main.Main;

/** Starts the gateway: Camel Main with application.properties and the YAML routes from {@code <gateway.home>/routes}. */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(App.class);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties;optional=true");
        main.run(args);
    }
}
