package com.buttonsgateway.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * One provider call without a thread waiting on it (issue 7): the JDK HTTP client's {@code sendAsync}, so many calls
 * can be in flight at once while a few threads do the work around them. Each call is exactly one POST: the JDK client
 * never repeats a POST by itself, so every retry is the gateway's own decision (SPEC 7).
 *
 * <p>In: exchange property {@code gatewayCall} (sendButtons or sendTemplate) and the JSON body. Out: the answer's
 * body and {@code CamelHttpResponseCode}, or the exception (network error, timeout) for the route's doCatch.
 */
public final class ProviderClient extends AsyncProcessorSupport implements AsyncProcessor {

    private final HttpClient client;
    private final String baseUrl;
    private final Duration timeout;
    private final Executor completions;

    public ProviderClient(String baseUrl, Duration timeout, Executor completions) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
        this.completions = completions;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).executor(completions).build();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String call = exchange.getProperty("gatewayCall", String.class);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + call)).timeout(timeout)
                    .header("Content-Type", "application/json; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(exchange.getMessage().getBody(String.class)))
                    .build();
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenCompleteAsync((response, error) -> {
            if (error != null) {
                exchange.setException(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            } else {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, response.statusCode());
                exchange.getMessage().setBody(response.body());
            }
            callback.done(false);
        }, completions);
        return false;
    }
}
