package com.buttonsgateway.provider;

import com.buttonsgateway.request.Validation;

import com.buttonsgateway.request.RequestValidator;

import com.buttonsgateway.request.ValidRequest;

import static com.buttonsgateway.request.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider bodies (provider/send-buttons.txt, provider/README.md). */
class ProviderMapperTest {

    private final RequestValidator validator = new RequestValidator("972771234567", "972");
    private final ProviderMapper mapper = new ProviderMapper();

    private ValidRequest request(String text) {
        Validation v = validator.validate(json(text));
        assertThat(v.problems()).isEmpty();
        return v.request();
    }

    @Test
    void minimalSendButtons() {
        ObjectNode body = mapper.sendButtons(request("{'to':'0501234567','body':'Hi','button1':'Yes'}"), "KEY");
        assertThat(body).isEqualTo(json("{'apiKey':'KEY','from':'972771234567','to':'972501234567','header':1,"
                + "'body':'Hi','button1':'Yes','button1_id':'1'}"));
    }

    @Test
    void fullSendButtonsUsesTheProvidersFieldNames() {
        ValidRequest r = request("{'id':'x1','to':'972501234567','header':'2','headerURL':'https://e.example/a.png',"
                + "'body':'Hi','footer':'Foot','button1':'A','button2':'B','button3':'C','button2_id':'bee',"
                + "'replyTo':'Q1','showRequest':true,'localStorage':1,'whenClosed':'hold',"
                + "'template':{'name':'t'}}");
        ObjectNode body = mapper.sendButtons(r, "KEY");
        assertThat(body).isEqualTo(json("{'apiKey':'KEY','from':'972771234567','to':'972501234567','header':2,"
                + "'headerURL':'https://e.example/a.png','body':'Hi','footer':'Foot','button1':'A','button2':'B',"
                + "'button3':'C','button1_id':'1','button2_id':'bee','button3_id':'3','replyTo':'Q1',"
                + "'showRequest':1,'localStorage':1}"));
        assertThat(body.has("id")).isFalse();
        assertThat(body.has("template")).isFalse();
        assertThat(body.has("whenClosed")).isFalse();
    }

    @Test
    void externalButtonSendsOnlyItsLabelAndNoLocalStorage() {
        ValidRequest r = request("{'to':'972501234567','body':'Hi','button1':'Visit','button2':'B',"
                + "'buttonExternal':'https://www.example.com','localStorage':1}");
        assertThat(mapper.sendButtons(r, "KEY")).isEqualTo(json("{'apiKey':'KEY','from':'972771234567',"
                + "'to':'972501234567','header':1,'body':'Hi','button1':'Visit',"
                + "'buttonExternal':'https://www.example.com'}"));
        // Even a record built by hand with extra buttons and localStorage is sent without them.
        ValidRequest handMade = new ValidRequest(null, "1", "2", 1, null, "b", null,
                List.of(new ValidRequest.Button("a", "1"), new ValidRequest.Button("b", "2")),
                "x@example.com", null, null, 1, null, null, List.of());
        ObjectNode body = mapper.sendButtons(handMade, "KEY");
        assertThat(body.has("button2")).isFalse();
        assertThat(body.has("localStorage")).isFalse();
    }

    @Test
    void apiKeyOmittedWhenNotConfigured() {
        ValidRequest r = request("{'to':'972501234567','body':'Hi','button1':'Yes'}");
        assertThat(mapper.sendButtons(r, null).has("apiKey")).isFalse();
        assertThat(mapper.sendButtons(r, "").has("apiKey")).isFalse();
        assertThat(mapper.sendTemplate(r, "t", null).has("apiKey")).isFalse();
    }

    @Test
    void sendTemplateFromTheRequestsTemplate() {
        ValidRequest r = request("{'to':'972501234567','body':'Hi','button1':'Yes','template':{'name':'order_ready',"
                + "'headerType':3,'headerLink':'https://e.example/a.jpg','bodyVariable1':'Dana','bodyVariable2':'7'}}");
        assertThat(mapper.sendTemplate(r, "default_one", "KEY")).isEqualTo(json("{'apiKey':'KEY',"
                + "'from':'972771234567','to':'972501234567','name':'order_ready','headerType':3,"
                + "'headerLink':'https://e.example/a.jpg','bodyVariable1':'Dana','bodyVariable2':'7'}"));
    }

    @Test
    void templateOnlyRequestGoesOnlyAsItsTemplate() {
        ValidRequest r = request("{'to':'972501234567','whenClosed':'template','template':{'name':'order_ready',"
                + "'bodyVariable1':'Dana'}}");
        assertThat(mapper.sendTemplate(r, "default_one", "KEY")).isEqualTo(json("{'apiKey':'KEY',"
                + "'from':'972771234567','to':'972501234567','name':'order_ready','headerType':1,"
                + "'bodyVariable1':'Dana'}"));
        assertThatThrownBy(() -> mapper.sendButtons(r, "KEY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template-only");
    }

    @Test
    void sendTemplateFallsBackToTheGivenName() {
        ValidRequest r = request("{'to':'972501234567','body':'Hi','button1':'Yes'}");
        assertThat(mapper.sendTemplate(r, "default_one", "KEY")).isEqualTo(json("{'apiKey':'KEY',"
                + "'from':'972771234567','to':'972501234567','name':'default_one','headerType':1}"));
        assertThatThrownBy(() -> mapper.sendTemplate(r, " ", "KEY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.template.default-name");
    }
}
