package com.buttonsgateway.store;

/** A validated item on its way into the store; {@code request} is the normalised request as JSON (no API key). */
public record NewMessage(String id, String source, String account, String contact, String request) {
}
