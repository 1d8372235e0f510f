package com.buttonsgateway.request;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {

    @Test
    void lineBreaksAndOtherControlCharactersAreEscaped() {
        assertThat(LogText.safe("x\ninjected")).isEqualTo("x\\ninjected");
        assertThat(LogText.safe("a\r\nINFO fake line")).isEqualTo("a\\r\\nINFO fake line");
        assertThat(LogText.safe("tab\there")).isEqualTo("tab\\there");
        assertThat(LogText.safe("nul\u0000 esc\u001b[31m del\u007f nel\u0085")).isEqualTo("nul\\u0000 esc\\u001b[31m del\\u007f nel\\u0085");
        assertThat(LogText.safe("ls\u2028ps\u2029")).isEqualTo("ls\\u2028ps\\u2029");
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String text = "<order-1@erp.shop.test> שלום 😀 a\\nb";
        assertThat(LogText.safe(text)).isSameAs(text);
        assertThat(LogText.safe(null)).isEqualTo("null");
        assertThat(LogText.safe(42)).isEqualTo("42");
    }
}
