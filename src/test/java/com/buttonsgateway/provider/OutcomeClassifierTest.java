package com.buttonsgateway.provider;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeClassifierTest {

    private final OutcomeClassifier classifier = new OutcomeClassifier(new ObjectMapper());

    @Test
    void okIsSentWithUniqueAndWindowMinutes() {
        CallOutcome o = classifier.classify(200, "{\"status\":\"OK\",\"unique\":\"ABC\",\"templateTimeLeft\":\"400\",\"reason\":1}");
        assertThat(o.kind()).isEqualTo(CallOutcome.Kind.SENT);
        assertThat(o.unique()).isEqualTo("ABC");
        assertThat(o.templateTimeLeft()).isEqualTo(400L);
    }

    @ParameterizedTest
    @CsvSource({
            "2, ACCOUNT_UNKNOWN", "3, PAUSE_ACCOUNT", "4, FINAL", "5, FINAL", "6, RETRY", "7, WINDOW_CLOSED", "8, WINDOW_CLOSED",
            "9, FINAL"})
    void providerReasonsAreClassifiedAsSpec7Says(int reason, CallOutcome.Kind kind) {
        CallOutcome o = classifier.classify(200, "{\"status\":\"FAIL\",\"reason\":" + reason + "}");
        assertThat(o.kind()).isEqualTo(kind);
        assertThat(o.reasonCode()).isEqualTo(reason);
        assertThat(o.detail()).startsWith("reason " + reason + ": ");
    }

    @Test
    void reasonsAreWordedAsTheProviderWordsThem() {
        assertThat(classifier.classify(200, "{\"status\":\"FAIL\",\"reason\":\"6\"}").detail())
                .isEqualTo("reason 6: WhatsApp error - try again");
        assertThat(classifier.classify(200, "{\"status\":\"FAIL\",\"reason\":8,\"message\":\"never wrote\"}").detail())
                .isEqualTo("reason 8: first message to this contact - use a template (never wrote)");
    }

    @ParameterizedTest
    @CsvSource({"500, RETRY", "502, RETRY", "503, RETRY", "429, RETRY", "400, FINAL", "401, FINAL", "404, FINAL", "302, FINAL"})
    void httpStatusesAreClassified(int status, CallOutcome.Kind kind) {
        CallOutcome o = classifier.classify(status, "<html>oops</html>");
        assertThat(o.kind()).isEqualTo(kind);
        assertThat(o.detail()).startsWith("HTTP " + status);
        assertThat(o.errorKind()).isEqualTo("http");
    }

    @Test
    void anAnswerThatIsNotJsonIsRetried() {
        assertThat(classifier.classify(200, "<html>maintenance</html>").kind()).isEqualTo(CallOutcome.Kind.RETRY);
        assertThat(classifier.classify(200, "").kind()).isEqualTo(CallOutcome.Kind.RETRY);
    }

    @Test
    void networkErrorsAndTimeoutsAreRetried() {
        CallOutcome timeout = classifier.failed(new SocketTimeoutException("Read timed out"));
        assertThat(timeout.kind()).isEqualTo(CallOutcome.Kind.RETRY);
        assertThat(timeout.detail()).startsWith("timeout");
        assertThat(timeout.errorKind()).isEqualTo("network");
        assertThat(classifier.failed(new ConnectException("Connection refused")).detail()).startsWith("connection refused");
    }

    @Test
    void anAnswerLongerThanTheGatewayReadsIsARetriedFailure() {
        CallOutcome o = classifier.failed(new BoundedAnswer.TooLargeException(65_536));
        assertThat(o.kind()).isEqualTo(CallOutcome.Kind.RETRY);
        assertThat(o.detail()).startsWith("answer too large").contains("65536 bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bodyVariable1..bodyVariable10: template body plus variables at most 1024 characters, the variables alone have 1100",
            "JSON syntax error (line 1, column 12)",
            "unknown field 'colour' (did you mean 'footer'?)",
            "headerURL: must be an https URL; button2_id: at most 256 characters, got 300"})
    void reasonTwoNamingAFieldOrTheJsonIsAFinalRefusalOfThatMessageNotAnAccountPause(String message) {
        CallOutcome o = classifier.classify(200, "{\"status\":\"FAIL\",\"reason\":2,\"message\":\"" + message.replace("'", "\\u0027") + "\"}");
        assertThat(o.kind()).isEqualTo(CallOutcome.Kind.FINAL);
        assertThat(o.reasonCode()).isEqualTo(2);
        assertThat(o.detail()).isEqualTo("reason 2: " + message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from: the account does not exist (an international number without +, digits only, 8 to 15)",
            "the from account does not exist, or JSON syntax error",
            "body: at most 1024 characters, got 2000; from: required (your WhatsApp account, an international number without +)",
            "''"})
    void reasonTwoAboutTheAccountOrWithoutWordsKeepsItsAccountMeaning(String message) {
        CallOutcome o = classifier.classify(200, "{\"status\":\"FAIL\",\"reason\":2,\"message\":\"" + message + "\"}");
        assertThat(o.kind()).isEqualTo(CallOutcome.Kind.ACCOUNT_UNKNOWN);
    }
}
