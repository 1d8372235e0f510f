package com.buttonsgateway.intake.mail;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code gateway.mail.allowed-senders} (SPEC 4.2): who may send requests by mail. Comma-separated addresses
 * ({@code erp@shop.example}) or whole domains ({@code @shop.example}); {@code *} accepts anyone, and must be said
 * explicitly: an empty list is a configuration mistake, never "everyone". Compared without regard to case.
 */
public final class MailSenders {

    static final String KEY = "gateway.mail.allowed-senders";

    private final boolean anyone;
    private final Set<String> addresses = new LinkedHashSet<>();
    private final Set<String> domains = new LinkedHashSet<>();

    private MailSenders(boolean anyone) {
        this.anyone = anyone;
    }

    /** Reads the setting; throws naming the key when it is empty or holds an entry that is no address nor {@code @domain}. */
    public static MailSenders parse(String setting) {
        if (setting == null || setting.isBlank()) {
            throw new IllegalArgumentException("configuration key " + KEY + " must be set when gateway.mail.enabled=true:"
                    + " comma-separated addresses or @domain entries allowed to send requests by mail (* accepts anyone)");
        }
        MailSenders senders = new MailSenders(setting.strip().equals("*"));
        if (senders.anyone) {
            return senders;
        }
        for (String raw : setting.split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            int at = entry.indexOf('@');
            boolean plausible = at >= 0 && at == entry.lastIndexOf('@') && at < entry.length() - 1 && entry.indexOf(' ') < 0;
            if (!plausible || entry.equals("*")) {
                throw new IllegalArgumentException("configuration key " + KEY + ": '" + raw.strip() + "' is neither an address"
                        + " (name@domain) nor a domain (@domain); * alone accepts anyone");
            }
            if (at == 0) {
                senders.domains.add(entry.substring(1));
            } else {
                senders.addresses.add(entry);
            }
        }
        if (senders.addresses.isEmpty() && senders.domains.isEmpty()) {
            throw new IllegalArgumentException("configuration key " + KEY + " must name at least one address or @domain (* accepts anyone)");
        }
        return senders;
    }

    /** Whether a mail from this address (its From) may hand in requests; null (no sender) is never allowed unless anyone is. */
    public boolean allows(String address) {
        if (anyone) {
            return true;
        }
        if (address == null || address.isBlank()) {
            return false;
        }
        String a = address.strip().toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        return addresses.contains(a) || (at > 0 && domains.contains(a.substring(at + 1)));
    }

    public boolean anyone() {
        return anyone;
    }
}
