package com.buttonsgateway.console;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.buttonsgateway.TestGateway;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real headless Chromium (SPEC 10), against a running gateway on its sandbox:
 * what an operator does, from signing in to replaying dead letters. Each test saves a screenshot under
 * {@code target/console-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String ACCOUNT = "972771234567";
    private static TestGateway gateway;
    private static String admin;
    private static Chromium chromium;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() {
        String missing = Chromium.missing();
        Assumptions.assumeTrue(missing == null, missing);
        gateway = TestGateway.start("console", Map.of("gateway.retry.max-attempts", "2", "gateway.provider.circuit.probe-seconds", "1"));
        admin = gateway.property("gateway.admin.token");
        chromium = Chromium.start();
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    @BeforeEach
    void freshTab() {
        viewport(1280, 800);
        open();
        js("sessionStorage.clear()");
        open();
    }

    @AfterEach
    void noFaults() {
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);
        gateway.post("/api/accounts/" + ACCOUNT + "/resume", "", admin);
    }

    // --- what the operator does ----------------------------------------------------------------

    /** Sizes the window so that the page itself (the viewport, what a screenshot shows) is width x height. */
    private static void viewport(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        @SuppressWarnings("unchecked")
        List<Long> inner = (List<Long>) js("return [window.innerWidth, window.innerHeight]");
        driver.manage().window().setSize(new Dimension(2 * width - inner.get(0).intValue(), 2 * height - inner.get(1).intValue()));
    }

    private static void open() {
        driver.get("http://127.0.0.1:" + gateway.port() + "/console/");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("sign-in-form")));
    }

    private static void signIn() {
        WebElement token = driver.findElement(By.id("token"));
        token.clear();
        token.sendKeys(admin);
        driver.findElement(By.id("sign-in-button")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
    }

    private static void tab(String name) {
        driver.findElement(By.cssSelector(".tabs button[data-tab='" + name + "']")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("tab-" + name)));
    }

    private static void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static <T> T waitFor(java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        // the page refreshes itself every few seconds: an element found a moment ago may have been replaced
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class).until(condition);
    }

    private static String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private static long count(String status) {
        return Long.parseLong(driver.findElement(By.cssSelector("[data-count='" + status + "']")).getText().trim());
    }

    private static String message(String id, String to) {
        return "{\"id\": \"" + id + "\", \"to\": \"" + to + "\", \"body\": \"Deliver today?\", \"button1\": \"Yes\", "
                + "\"button2\": \"No\", \"button1_id\": \"yes\", \"button2_id\": \"no\", \"template\": {\"name\": \"order_ready\"}}";
    }

    private static String status(String id) {
        JsonNode result = TestGateway.readJson(gateway.results().resolve(id + ".json"));
        return result.path("status").asText();
    }

    // --- tests ---------------------------------------------------------------------------------

    @Test
    void aWrongTokenIsRefusedAndNothingButTheSignInFormShows() {
        assertThat(driver.findElements(By.id("app"))).isEmpty();
        assertThat(driver.findElement(By.id("sign-in")).isDisplayed()).isTrue();

        // by keyboard: the field, Tab to the button (its focus is drawn), Enter
        type(driver.findElement(By.id("token")), "not-the-token");
        driver.findElement(By.id("token")).sendKeys(Keys.TAB);
        assertThat(js("return document.activeElement.id")).isEqualTo("sign-in-button");
        assertThat(js("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "refused"));
        assertThat(driver.findElements(By.id("app"))).isEmpty();
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
        chromium.screenshot("sign-in-refused");

        signIn();
        assertThat(driver.findElement(By.id("sandbox-banner")).isDisplayed()).isTrue();
        assertThat(text("#sandbox-banner")).contains("Sandbox").contains("not to WhatsApp");
        assertThat(js("return sessionStorage.length")).isEqualTo(1L);

        driver.findElement(By.id("sign-out")).click();
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertThat(driver.findElements(By.id("app"))).isEmpty();
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aDroppedMessageAppearsOnTheOverviewWithTheChartAndItsDetailOpens() {
        signIn();
        waitFor(d -> !text("[data-count='SENT']").equals("–"));
        long sentBefore = count("SENT");
        gateway.drop("console-1.json", message("console-1", "972505550001"));
        gateway.awaitResult("console-1");

        waitFor(d -> count("SENT") >= sentBefore + 1);
        waitFor(d -> Integer.parseInt(driver.findElement(By.id("sent-chart")).getAttribute("data-points")) >= 1);
        List<WebElement> bars = driver.findElements(By.cssSelector("#sent-chart rect:not(.zero)"));
        assertThat(bars).isNotEmpty();
        assertThat(text("#sent-total")).matches("\\d+ sent");
        waitFor(d -> !text("#stat-p50").equals("–"));
        assertThat(text("#stat-p50")).matches("[0-9.]+ m?s");
        chromium.screenshot("overview");

        tab("messages");
        new Select(driver.findElement(By.cssSelector("#messages-filter select[name='status']"))).selectByValue("SENT");
        type(driver.findElement(By.cssSelector("#messages-filter input[name='to']")), "972505550001");
        type(driver.findElement(By.cssSelector("#messages-filter input[name='id']")), "console-1");
        driver.findElement(By.cssSelector("#messages-filter button[type='submit']")).click();
        WebElement link = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("#messages-table tr[data-key='console-1'] button")));
        link.click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "console-1"));
        assertThat(text("#detail-status")).isEqualTo("SENT");
        assertThat(text("#detail-decision")).contains("window closed");
        assertThat(text("#detail-request")).contains("\"body\" : \"Deliver today?\"".replace(" : ", ": "));
        assertThat(driver.findElements(By.cssSelector("#detail-attempts tbody tr"))).isNotEmpty();
        assertThat(text("#detail-attempts")).contains("sent");
        assertThat(driver.findElement(By.id("detail-replay")).isDisplayed()).isFalse();
        assertThat(driver.getPageSource()).doesNotContain(admin);
        chromium.screenshot("message-detail");
    }

    @Test
    void aDeadMessageIsFoundUnderDeadLettersAndReplayedUntilItIsSent() {
        gateway.post("/sandbox/faults", "{\"failReason\": 4}", null);
        gateway.drop("console-dead.json", message("console-dead", "972505550002"));
        assertThat(gateway.awaitResult("console-dead").path("status").asText()).isEqualTo("DEAD");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);

        signIn();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-badge"), "1"));
        tab("dead");
        String group = "reason 4: to empty or wrong number format";
        WebElement groupButton = waitFor(ExpectedConditions.elementToBeClickable(By.xpath(
                "//ul[@id='dead-groups']//button[starts-with(normalize-space(.), '" + group + "')]")));
        groupButton.click();
        waitFor(ExpectedConditions.attributeToBe(By.xpath("//ul[@id='dead-groups']//button[starts-with(normalize-space(.), '"
                + group + "')]"), "aria-pressed", "true"));
        WebElement row = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#dead-table tr[data-key='console-dead']")));
        assertThat(row.getText()).contains("972505550002").contains("reason 4");
        chromium.screenshot("dead-letters");

        row.findElement(By.xpath(".//button[normalize-space(.)='Replay']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-note"), "console-dead queued again"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(status("console-dead")));

        tab("messages");
        type(driver.findElement(By.cssSelector("#messages-filter input[name='id']")), "console-dead");
        driver.findElement(By.cssSelector("#messages-filter button[type='submit']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#messages-table tr[data-key='console-dead']"), "SENT"));
        chromium.screenshot("dead-letter-replayed");
    }

    @Test
    void aDeadMessagesDetailShowsEveryAttemptAndOffersReplay() {
        gateway.post("/sandbox/faults", "{\"failRate\": 1}", null);
        gateway.drop("console-retried.json", message("console-retried", "972505550009"));
        assertThat(gateway.awaitResult("console-retried").path("status").asText()).isEqualTo("DEAD");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);

        signIn();
        tab("messages");
        new Select(driver.findElement(By.cssSelector("#messages-filter select[name='status']"))).selectByValue("DEAD");
        driver.findElement(By.cssSelector("#messages-filter button[type='submit']")).click();
        waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("#messages-table tr[data-key='console-retried'] button"))).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-title"), "console-retried"));
        assertThat(text("#detail-status")).isEqualTo("DEAD");
        List<WebElement> attempts = driver.findElements(By.cssSelector("#detail-attempts tbody tr"));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getText()).contains("provider-reason-6").contains("WhatsApp error - try again");
        WebElement replay = driver.findElement(By.id("detail-replay"));
        assertThat(replay.isDisplayed()).isTrue();
        chromium.screenshot("message-detail-dead");

        replay.click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-note"), "Queued again"));
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-status"), "SENT"));
        assertThat(driver.findElement(By.id("detail-replay")).isDisplayed()).isFalse();
    }

    @Test
    void replayAllAsksWithTheCountThenReplaysEveryMatchingDeadLetter() {
        gateway.post("/sandbox/faults", "{\"failReason\": 5}", null);
        gateway.drop("console-all.json", "[" + message("console-all-1", "972505550003") + "," + message("console-all-2", "972505550004") + "]");
        gateway.awaitResult("console-all-1");
        gateway.awaitResult("console-all-2");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);

        signIn();
        tab("dead");
        Select reason = new Select(waitFor(ExpectedConditions.presenceOfElementLocated(By.id("dead-reason"))));
        waitFor(d -> reason.getOptions().stream().anyMatch(o -> o.getText().startsWith("reason 5")));
        reason.selectByVisibleText("reason 5: body empty");
        driver.findElement(By.cssSelector("#dead-filter button[type='submit']")).click();
        WebElement replayAll = waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("replay-all"), "Replay all 2 matching"))
                ? driver.findElement(By.id("replay-all")) : null;
        replayAll.click();
        Alert confirm = waitFor(ExpectedConditions.alertIsPresent());
        assertThat(confirm.getText()).contains("Replay 2 dead messages").contains("reason 5: body empty");
        confirm.accept();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("dead-note"), "2 queued again"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(status("console-all-1")) && "SENT".equals(status("console-all-2")));
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#dead-table tr[data-key='console-all-1']")));
        chromium.screenshot("dead-letters-replayed-all");
    }

    @Test
    void aPausedAccountShowsWithItsReasonAndResumeSendsItsMessages() {
        gateway.post("/sandbox/faults", "{\"failReason\": 3}", null);
        gateway.drop("console-paused.json", message("console-paused", "972505550005"));

        signIn();
        WebElement paused = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("paused")));
        waitFor(ExpectedConditions.textToBePresentInElement(paused, "reason 3: wrong apiKey"));
        assertThat(paused.getText()).contains(ACCOUNT);
        assertThat(driver.findElement(By.id("sandbox-banner")).isDisplayed()).isTrue();
        chromium.screenshot("account-paused");

        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);
        driver.findElement(By.xpath("//ul[@id='paused-list']//button[normalize-space(.)='Resume " + ACCOUNT + "']")).click();
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("paused")));
        assertThat(gateway.awaitResult("console-paused").path("status").asText()).isEqualTo("SENT");
    }

    @Test
    void anOutageShowsARedBannerWithTheLastErrorUntilTheProviderAnswersAgain() {
        // SPEC 7: every call fails; five in a row open the provider's circuit and the messages wait, queued
        gateway.post("/sandbox/faults", "{\"failRate\": 1}", null);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            batch.append(i == 0 ? "" : ",").append(message("console-outage-" + i, "97250555007" + i));
        }
        gateway.drop("console-outage.json", batch.append(']').toString());

        signIn();
        WebElement circuit = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("circuit")));
        waitFor(ExpectedConditions.textToBePresentInElement(circuit, "reason 6: WhatsApp error - try again"));
        assertThat(circuit.getText()).contains("Provider unreachable").contains("Next probe at");
        assertThat(circuit.getCssValue("border-color")).as("red, as the paused accounts' alert").isEqualTo(
                driver.findElement(By.id("paused")).getCssValue("border-color"));
        chromium.screenshot("provider-circuit-open");

        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("circuit")));
        for (int i = 0; i < 6; i++) {
            assertThat(gateway.awaitResult("console-outage-" + i).path("status").asText()).isEqualTo("SENT");
        }
    }

    @Test
    void aContactShowsItsWindowAndItsOptOutSwitchChangesIt() {
        assertThat(gateway.contactWrites("972505550006", "hello").statusCode()).isEqualTo(202);
        gateway.drop("console-contact.json", message("console-contact", "972505550006"));
        assertThat(gateway.awaitResult("console-contact").path("route").asText()).isEqualTo("buttons");

        signIn();
        tab("contacts");
        type(driver.findElement(By.cssSelector("#contact-form input[name='number']")), "+972 50-555-0006");
        driver.findElement(By.cssSelector("#contact-form button[type='submit']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("contact-window"), "open until"));
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#contact-messages tr[data-key='console-contact']")));
        WebElement optOut = driver.findElement(By.id("opt-out-switch"));
        assertThat(optOut.isSelected()).isFalse();

        optOut.click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("opt-out-note"), "opted out"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/api/contacts/972505550006/opt-out", admin).body()
                .contains("\"optedOut\" : true"));
        chromium.screenshot("contact-opted-out");

        optOut.click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("opt-out-note"), "receives messages"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/api/contacts/972505550006/opt-out", admin).body()
                .contains("\"optedOut\" : false"));
        assertThat(optOut.isSelected()).isFalse();
    }

    @Test
    void theSandboxPanelPlaysAContactWritingAndClickingAButton() throws Exception {
        signIn();
        tab("sandbox");
        WebElement write = driver.findElement(By.id("sandbox-write"));
        type(write.findElement(By.name("from")), "972505550007");
        type(write.findElement(By.name("body")), "Is my order ready?");
        write.findElement(By.cssSelector("button[type='submit']")).click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("sandbox-result"), "Delivered"));
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("sandbox-window"), "open until"));

        gateway.drop("console-click.json", message("console-click", "972505550007"));
        assertThat(gateway.awaitResult("console-click").path("route").asText()).isEqualTo("buttons");
        WebElement click = driver.findElement(By.id("sandbox-click"));
        type(click.findElement(By.name("from")), "972505550007");
        click.findElement(By.cssSelector("button[type='submit']")).click();
        waitFor(ExpectedConditions.elementToBeClickable(By.xpath("//div[@id='sandbox-buttons']//button[normalize-space(.)='Click \"Yes\"']")))
                .click();
        waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("sandbox-result"), "Delivered"));
        java.nio.file.Path replies = gateway.data().resolve("replies");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (var files = Files.list(replies)) {
                return files.map(TestGateway::readJson).anyMatch(r -> "console-click".equals(r.path("answers").asText())
                        && "yes".equals(r.path("buttonId").asText()));
            }
        });
        chromium.screenshot("sandbox");
    }

    @Test
    void theConversationsChartHasADayWithConversations() {
        gateway.drop("console-conversation.json", message("console-conversation", "972505550008"));
        gateway.awaitResult("console-conversation");

        signIn();
        tab("conversations");
        waitFor(d -> Integer.parseInt(driver.findElement(By.id("conversations-chart")).getAttribute("data-points")) >= 1);
        assertThat(driver.findElements(By.cssSelector("#conversations-chart rect"))).hasSize(30);
        assertThat(text("#conversations-total")).contains(ACCOUNT);
        chromium.screenshot("conversations");
    }

    @Test
    void thePageFitsAPhonesWidth() {
        viewport(390, 844);
        signIn();
        waitFor(d -> !text("[data-count='SENT']").equals("–"));
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        chromium.screenshot("overview-phone");
        tab("messages");
        assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        chromium.screenshot("messages-phone");
    }

    /** Last: a busy hour on the overview (the README's screenshot, docs/console-overview.png, is this one). */
    @Test
    @Order(Integer.MAX_VALUE)
    void theOverviewOfABusyHour() {
        for (int minute = 0; minute < 6; minute++) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 2 + (minute * 5) % 7; i++) {
                String id = "busy-" + minute + "-" + i;
                batch.append(i == 0 ? "" : ",").append(message(id, "9725066" + String.format("%02d%03d", minute, i)));
            }
            gateway.drop("busy-" + minute + ".json", batch.append("]").toString());
            gateway.awaitResult("busy-" + minute + "-0");
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.get("/api/stats", admin).body().contains("\"backlog\" : 0"));
            gateway.clock().advance(Duration.ofMinutes(7));
        }
        gateway.drop("busy-held.json", "{\"id\": \"busy-held\", \"to\": \"972506699001\", \"body\": \"b\", \"button1\": \"OK\", "
                + "\"whenClosed\": \"hold\"}");
        gateway.post("/sandbox/faults", "{\"failReason\": 4}", null);
        gateway.drop("busy-dead.json", message("busy-dead", "972506699002"));
        gateway.awaitResult("busy-dead");
        gateway.post("/sandbox/faults", "{\"failRate\": 0}", null);

        signIn();
        waitFor(d -> !text("#stat-held").equals("–") && Long.parseLong(text("#stat-held")) >= 1);
        waitFor(d -> count("DEAD") >= 1);
        waitFor(d -> Integer.parseInt(driver.findElement(By.id("sent-chart")).getAttribute("data-points")) >= 5);
        assertThat(driver.findElement(By.id("dead-badge")).getText()).isNotEmpty();
        chromium.screenshot("overview-busy-hour");
    }
}
