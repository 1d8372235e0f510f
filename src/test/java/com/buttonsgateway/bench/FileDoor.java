package com.buttonsgateway.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The inbox, as a well-behaved producer uses it: each file is written in full in a staging folder beside the inbox
 * (same file system, untimed), then renamed into {@code data/inbox} with ATOMIC_MOVE; the handover renames them all, as
 * fast as the bench can. One item per file ({@code perFile == 1}, a JSON object) or batch files (JSON arrays).
 */
final class FileDoor implements Door {

    private record Staged(Path staged, Path target, int from, int to) {
    }

    private final int perFile;
    private final List<Staged> staged = new ArrayList<>();

    /** One message per file. */
    static FileDoor singles() {
        return new FileDoor(1);
    }

    /** {@code perFile} messages per file, as a JSON array. */
    static FileDoor batches(int perFile) {
        return new FileDoor(perFile);
    }

    private FileDoor(int perFile) {
        this.perFile = perFile;
    }

    @Override
    public String describe(int messages) {
        return perFile == 1 ? "files x" + messages : "batch files " + (messages + perFile - 1) / perFile + "x" + perFile;
    }

    @Override
    public void prepare(Gateway gateway, Messages items) throws Exception {
        staged.clear();
        Path staging = gateway.home().resolve("data/staging-" + (items.warm() ? "warm" : "timed"));
        Files.createDirectories(staging);
        Files.createDirectories(gateway.inbox());
        for (int from = 0; from < items.count(); from += perFile) {
            int to = Math.min(items.count(), from + perFile);
            String name = perFile == 1 ? items.id(from) + ".json" : "batch-" + (items.warm() ? "w" : "b") + "-" + items.n(from) + ".json";
            String content = perFile == 1 ? items.request(from) : items.requests(from, to);
            Path file = staging.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            staged.add(new Staged(file, gateway.inbox().resolve(name), from, to));
        }
    }

    @Override
    public void handOver(Gateway gateway, Messages items, long[] at) throws Exception {
        for (Staged s : staged) {
            long t = System.nanoTime();
            Files.move(s.staged(), s.target(), StandardCopyOption.ATOMIC_MOVE);
            for (int i = s.from(); i < s.to(); i++) {
                at[i] = t;
            }
        }
        staged.clear();
    }

    /** Writes one single-message file in staging and returns a rename that drops it (for the latency case). */
    static Runnable stageOne(Gateway gateway, Messages items, int i) throws Exception {
        Path staging = gateway.home().resolve("data/staging-one");
        Files.createDirectories(staging);
        Files.createDirectories(gateway.inbox());
        Path file = staging.resolve(items.id(i) + ".json");
        Files.writeString(file, items.request(i), StandardCharsets.UTF_8);
        Path target = gateway.inbox().resolve(items.id(i) + ".json");
        return () -> {
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }
}
