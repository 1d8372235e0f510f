package com.buttonsgateway.intake;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** The {@link Acceptor} of intakes that live in Java beans: a send to {@code direct:accept-request}. */
public final class RouteAcceptor implements Acceptor {

    /** Header the accept-request route answers with (routes/accept-request.camel.yaml). */
    public static final String RESULT = "GatewayAcceptResult";
    private static final String ENDPOINT = "direct:accept-request";

    private final ProducerTemplate producer;

    public RouteAcceptor(ProducerTemplate producer) {
        this.producer = producer;
    }

    @Override
    public AcceptResult accept(String document, String source, String sourceName) {
        Exchange done = producer.send(ENDPOINT, exchange -> {
            exchange.getMessage().setBody(document);
            exchange.getMessage().setHeader(Intake.SOURCE, source);
            exchange.getMessage().setHeader(Intake.SOURCE_NAME, sourceName);
        });
        Exception failure = done.getException();
        if (failure != null) {
            throw failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("could not accept " + source + ": " + failure.getMessage(), failure);
        }
        AcceptResult result = done.getMessage().getHeader(RESULT, AcceptResult.class);
        if (result == null) {
            throw new IllegalStateException("direct:accept-request answered " + source + " without a " + RESULT + " header");
        }
        return result;
    }
}
