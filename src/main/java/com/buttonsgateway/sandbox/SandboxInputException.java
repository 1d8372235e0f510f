package com.buttonsgateway.sandbox;

/**
 * Thrown by {@link InboundSimulator#play} and {@link FaultInjector#change(String)} when the played-in message or the
 * faults asked for are not usable (not JSON, a missing or invalid field); the routes answer it {@code 400}. The
 * message names every bad field; it never carries a secret.
 */
public class SandboxInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SandboxInputException(String message) {
        super(message);
    }

    public SandboxInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
