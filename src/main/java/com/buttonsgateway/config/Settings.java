package com.buttonsgateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.apache.camel.spi.PropertiesComponent;

/** Reads configuration through Camel's properties (application.properties, -D, environment variables). */
public final class Settings {
    private final PropertiesComponent pc;

    public Settings(PropertiesComponent pc) {
        this.pc = pc;
    }

    public String get(String key, String fallback) {
        return pc.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(fallback);
    }

    public String require(String key) {
        String value = get(key, "");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("configuration key " + key + " must be set");
        }
        return value;
    }

    public int integer(String key, int fallback) {
        String value = get(key, "");
        try {
            return value.isEmpty() ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " must be a whole number, not '" + value + "'", e);
        }
    }

    public long longValue(String key, long fallback) {
        String value = get(key, "");
        try {
            return value.isEmpty() ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("configuration key " + key + " must be a whole number, not '" + value + "'", e);
        }
    }
}
