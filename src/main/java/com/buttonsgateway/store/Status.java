package com.buttonsgateway.store;

/** A message's life-cycle status (SPEC 7). */
public enum Status {
    QUEUED, HELD, SENDING, SENT, REJECTED, DUPLICATE, DEAD;

    public boolean finished() {
        return this == SENT || this == REJECTED || this == DUPLICATE || this == DEAD;
    }
}
