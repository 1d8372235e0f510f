package com.buttonsgateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxWindowsTest extends SandboxFixture {

    private final SandboxWindows windows = new SandboxWindows();

    @Test
    void theContactWritingOpensItsWindowForThatAccountOnly() {
        windows.contactWrote(ACCOUNT, CONTACT, START);

        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).contains(START);
        assertThat(windows.lastInbound("972779999999", CONTACT)).isEmpty();
        assertThat(windows.lastInbound(ACCOUNT, "972509999999")).isEmpty();
        assertThat(windows.lastInbound(null, CONTACT)).isEmpty();
        assertThat(windows.lastInbound(ACCOUNT, null)).isEmpty();
    }

    @Test
    void theWindowMovesOnAndNeverBack() {
        Instant later = START.plus(Duration.ofHours(3));
        windows.contactWrote(ACCOUNT, CONTACT, later);
        windows.contactWrote(ACCOUNT, CONTACT, START);

        assertThat(windows.lastInbound(ACCOUNT, CONTACT)).contains(later);
    }

    @Test
    void theFromIdItHandsOutNamesTheContactToo() {
        String fromId = windows.contactWrote(ACCOUNT, CONTACT, START);

        assertThat(fromId).isEqualTo(ProviderFormats.userIdOf(CONTACT)).matches("IL\\.[0-9]{16}");
        assertThat(windows.lastInbound(ACCOUNT, fromId)).contains(START);
        assertThat(windows.lastInbound(ACCOUNT, "IL.1999999999999999")).isEmpty();
    }

    @Test
    void aBusinessMessageStartsAConversationUnlessOneIsOpen() {
        windows.businessWrote(ACCOUNT, CONTACT, START);
        windows.businessWrote(ACCOUNT, CONTACT, START.plus(Duration.ofHours(23)));
        assertThat(windows.conversationEnd(ACCOUNT, CONTACT)).contains(START.plus(Duration.ofHours(24)));

        windows.businessWrote(ACCOUNT, CONTACT, START.plus(Duration.ofHours(24)));
        assertThat(windows.conversationEnd(ACCOUNT, CONTACT)).contains(START.plus(Duration.ofHours(48)));
        assertThat(windows.conversationEnd(ACCOUNT, "972509999999")).isEmpty();
    }

    @Test
    void minutesLeftRoundUpAndAreZeroOnceOver() {
        assertThat(SandboxWindows.minutesLeft(START.plusSeconds(61), START)).isEqualTo(2);
        assertThat(SandboxWindows.minutesLeft(START.plusMillis(1), START)).isEqualTo(1);
        assertThat(SandboxWindows.minutesLeft(START.plus(Duration.ofHours(24)), START)).isEqualTo(1440);
        assertThat(SandboxWindows.minutesLeft(START, START)).isZero();
        assertThat(SandboxWindows.minutesLeft(null, START)).isZero();
    }
}
