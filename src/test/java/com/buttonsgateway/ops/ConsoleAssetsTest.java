package com.buttonsgateway.ops;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleAssetsTest {

    private final ConsoleAssets assets = new ConsoleAssets("console");

    @Test
    void thePageItsScriptAndStyleComeFromTheJarWithTheirTypes() {
        ConsoleAssets.Asset page = assets.asset("/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(assets.asset("/console/index.html").body()).isEqualTo(page.body());
        assertThat(assets.asset("/console/app.js").contentType()).startsWith("text/javascript");
        assertThat(assets.asset("/console/app.css").contentType()).startsWith("text/css");
        assertThat(assets.asset("/console/icon.svg").contentType()).isEqualTo("image/svg+xml");
    }

    @Test
    void theBarePathIsRedirectedToTheFolder() {
        ConsoleAssets.Asset redirect = assets.asset("/console");
        assertThat(redirect.status()).isEqualTo(308);
        assertThat(redirect.location()).isEqualTo("/console/");
    }

    @Test
    void nothingOutsideTheConsolesOwnFilesIsServed() {
        for (String path : new String[] {"/console/nope.js", "/console/../application.properties", "/console/db/migration/V1__store.sql",
                "/console/log4j2.properties", "/console/.hidden.js", "/consolex", "/console//app.js", "/console/app.js/", null}) {
            assertThat(assets.asset(path).status()).as(String.valueOf(path)).isEqualTo(404);
        }
    }

    @Test
    void theContentSecurityPolicyAllowsOnlyThePagesOwnOrigin() {
        assertThat(ConsoleAssets.CONTENT_SECURITY_POLICY).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe");
    }
}
