package com.buttonsgateway.request;

import java.util.List;

/** The field names of a request and of its {@code template} (SPEC 3), for intakes that map columns onto them. */
public final class KnownFields {

    private KnownFields() {
    }

    public static List<String> request() {
        return FieldNames.REQUEST;
    }

    public static List<String> template() {
        return FieldNames.TEMPLATE;
    }
}
