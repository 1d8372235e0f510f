package com.buttonsgateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Collects what the gateway logs in this JVM (every logger, every level at or above the configured one), for assertions. */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;

    private LogCapture(String name) {
        appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String line = event.getLevel() + " " + event.getLoggerName() + " - " + event.getMessage().getFormattedMessage();
                if (event.getThrown() != null) {
                    line += " | " + event.getThrown();
                }
                lines.add(line);
            }
        };
    }

    public static LogCapture start(String name) {
        LogCapture capture = new LogCapture(name);
        capture.appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(capture.appender, null, null);
        context.getConfiguration().getLoggers().values().forEach(l -> {
            if (!l.isAdditive()) {
                l.addAppender(capture.appender, null, null);
            }
        });
        context.updateLoggers();
        return capture;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public List<String> matching(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.getConfiguration().getLoggers().values().forEach(l -> l.removeAppender(appender.getName()));
        context.updateLoggers();
        appender.stop();
    }
}
