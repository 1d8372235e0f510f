package com.buttonsgateway.request;

import static com.buttonsgateway.request.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC 3: the shape of an item's report. */
class ReportsTest {

    private final Reports reports = new Reports(JsonNodeFactory.instance);

    @Test
    void rejectedItemReport() {
        List<Problem> problems = List.of(new Problem("to", "required", "to is required"),
                new Problem("button1", "max-length", "button1 is 21 characters; at most 20 are allowed"));
        assertThat(reports.problemReport(3, "order-1", problems)).isEqualTo(json("{'index':3,'id':'order-1',"
                + "'status':'REJECTED','problems':[{'field':'to','rule':'required','message':'to is required'},"
                + "{'field':'button1','rule':'max-length',"
                + "'message':'button1 is 21 characters; at most 20 are allowed'}]}"));
    }

    @Test
    void missingIdIsAnExplicitNull() {
        var report = reports.problemReport(0, null, List.of());
        assertThat(report.has("id")).isTrue();
        assertThat(report.get("id").isNull()).isTrue();
        assertThat(report.get("problems").isArray()).isTrue();
    }

    @Test
    void validatorProblemsFitTheReport() {
        Validation v = new RequestValidator("972771234567", "").validate(json("{'body':'x','apiKey':'SECRET'}"));
        String text = reports.problemReport(1, null, v.problems()).toString();
        assertThat(text).contains("\"status\":\"REJECTED\"").contains("\"field\":\"apiKey\"").doesNotContain("SECRET");
    }
}
