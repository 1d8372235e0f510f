package com.buttonsgateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The sandbox provider assembled (SPEC §8): a simulator of the 99digital WhatsApp API with its own 24-hour window per
 * (account, contact). Its parts, one per route: {@link SendButtonsSimulator}, {@link SendTemplateSimulator},
 * {@link InboundSimulator}, {@link FaultInjector}; they share the {@link ProviderChecks}, the {@link SandboxWindows},
 * the {@link ReceivedCalls} and the {@link ProviderAnswers} built here.
 *
 * <p>This class is what tests and demos hold: the parts' calls under one name, plus what the sandbox received and its
 * windows. Camel-free and thread-safe. The API key is never echoed, logged or put in an answer or an exception.
 */
public final class SandboxProvider {

    /** How many received requests {@link #received()} keeps. */
    public static final int RECEIVED_KEPT = ReceivedCalls.KEPT;

    private final SandboxWindows windows = new SandboxWindows();
    private final ReceivedCalls calls = new ReceivedCalls();
    private final FaultInjector faults;
    private final SendButtonsSimulator sendButtons;
    private final SendTemplateSimulator sendTemplate;
    private final InboundSimulator inbound;

    /**
     * @param clock          time of windows, conversations and timestamps
     * @param expectedApiKey the key every call must carry (reason 3 otherwise); {@code null} or empty accepts any or none
     * @param failRate       fraction (0..1) of calls answered FAIL reason 6 "WhatsApp error - try again"
     * @param failReason     {@code null} for none; else every call (past the JSON and key checks) answers FAIL with it (2..8)
     * @param random         source of fault injection and {@code unique} values
     * @throws IllegalArgumentException for a rate outside 0..1 or a reason outside 2..8
     */
    public SandboxProvider(Clock clock, String expectedApiKey, double failRate, Integer failReason,
            RandomGenerator random) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        ObjectMapper json = ProviderChecks.providerJson();
        this.faults = new FaultInjector(failRate, failReason, random, json);
        ProviderAnswers answers = new ProviderAnswers(json, random);
        ProviderChecks checks = new ProviderChecks(json, expectedApiKey, calls);
        this.sendButtons = new SendButtonsSimulator(clock, checks, faults, windows, answers);
        this.sendTemplate = new SendTemplateSimulator(clock, checks, faults, windows, answers);
        this.inbound = new InboundSimulator(clock, json, windows, answers);
    }

    // ---------------------------------------------------------------- the parts, bound for the sandbox routes

    public SendButtonsSimulator sendButtonsSimulator() {
        return sendButtons;
    }

    public SendTemplateSimulator sendTemplateSimulator() {
        return sendTemplate;
    }

    public InboundSimulator inboundSimulator() {
        return inbound;
    }

    public FaultInjector faultInjector() {
        return faults;
    }

    // ---------------------------------------------------------------- the parts' calls, for tests and demos

    /** {@code POST .../sendButtons}: see {@link SendButtonsSimulator#answer}. */
    public String sendButtons(String requestJson) {
        return sendButtons.answer(requestJson);
    }

    /** {@code POST .../sendTemplate}: see {@link SendTemplateSimulator#answer}. */
    public String sendTemplate(String requestJson) {
        return sendTemplate.answer(requestJson);
    }

    /** {@code POST /sandbox/inbound}: see {@link InboundSimulator#play}. */
    public Inbound inbound(String requestJson, String defaultAccount) {
        return inbound.play(requestJson, defaultAccount);
    }

    /** {@code POST /sandbox/faults}: see {@link FaultInjector#change(String)}. */
    public String faults(String requestJson) {
        return faults.change(requestJson);
    }

    /** Switches faults while running: see {@link FaultInjector#change(double, Integer)}. */
    public void faults(double failRate, Integer failReason) {
        faults.change(failRate, failReason);
    }

    // ---------------------------------------------------------------- what the sandbox saw

    /** The last {@link #RECEIVED_KEPT} Send Buttons / Send Template requests that parsed as JSON, in arrival order, without {@code apiKey}. */
    public List<JsonNode> received() {
        return calls.received();
    }

    /** Send Buttons and Send Template calls so far, valid or not. */
    public int callCount() {
        return calls.count();
    }

    /** When the contact last wrote to the account ({@code contact} may be its number or its {@code from_id}). */
    public Optional<Instant> lastInbound(String account, String contact) {
        return windows.lastInbound(account, contact);
    }
}
