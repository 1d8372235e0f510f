package com.buttonsgateway.store;

/**
 * Widths of the store's text columns that take values from outside (V1__store.sql), and the cut that makes a value
 * fit: a value longer than its column is cut before the write, never a failed write that leaves a message stuck
 * (SPEC 7). Widths count characters (Unicode code points), as H2 and PostgreSQL do.
 */
public final class Columns {

    public static final int SOURCE = 512;
    public static final int REASON = 2000;
    public static final int PROVIDER_UNIQUE = 128;
    public static final int DELIVERY_STATUS = 64;
    public static final int PAUSED_REASON = 500;

    private Columns() {
    }

    /** The value, or its first {@code max} code points (never half a surrogate pair). */
    public static String fit(String value, int max) {
        if (value == null || value.length() <= max || value.codePointCount(0, value.length()) <= max) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, max));
    }

    /** As {@link #fit}, for words a person reads: a cut text ends with "..." so it is seen to be cut. */
    public static String fitText(String value, int max) {
        String fitted = fit(value, max);
        return fitted == null || fitted.equals(value) ? fitted : fit(value, max - 3) + "...";
    }
}
