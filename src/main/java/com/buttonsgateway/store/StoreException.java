package com.buttonsgateway.store;

/** The store could not be read or written; the cause says why. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
