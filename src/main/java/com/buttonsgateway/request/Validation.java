package com.buttonsgateway.request;

import java.util.List;

/** The outcome of validating one item: a request, or every problem found (SPEC 3), never both. */
public record Validation(ValidRequest request, List<Problem> problems) {

    public Validation {
        problems = problems == null ? List.of() : List.copyOf(problems);
        if (problems.isEmpty() == (request == null)) {
            throw new IllegalArgumentException("a validation holds either a request or problems");
        }
    }

    public static Validation accepted(ValidRequest request) {
        return new Validation(request, List.of());
    }

    public static Validation rejected(List<Problem> problems) {
        return new Validation(null, problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
