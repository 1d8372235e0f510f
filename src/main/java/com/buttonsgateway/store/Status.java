package com.buttonsgateway.store;

/** A message's life-cycle status (SPEC 7). SCHEDULED waits for its {@code sendAt} (SPEC 5) and blocks nobody. */
public enum Status {
    SCHEDULED, QUEUED, HELD, SENDING, SENT, REJECTED, DUPLICATE, DEAD;

    public boolean finished() {
        return this == SENT || this == REJECTED || this == DUPLICATE || this == DEAD;
    }
}
