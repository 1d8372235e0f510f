package com.buttonsgateway.sandbox;

/**
 * Thrown by {@link SandboxProvider#inbound} when the played-in message is not usable (not JSON, a
 * missing or invalid field). The message names every bad field; it never carries a secret.
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
