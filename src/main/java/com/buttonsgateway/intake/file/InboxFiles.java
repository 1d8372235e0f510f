package com.buttonsgateway.intake.file;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.buttonsgateway.store.InboxClaims;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.GenericFileProcessStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the inbox's file consumer takes and leaves a file (SPEC 4.1), plugged into Camel's file component as its
 * {@code processStrategy}. Camel lists the folder; this decides when a file is ready and where it goes after.
 * <ul>
 * <li>Ready: a file that is a whole JSON document and as long as it was when listed is read at once (a file renamed
 * into the inbox, the usual hand-over); any other file is read once it has not changed for {@code minAgeMillis}, as
 * seen over two looks. Nothing sleeps: a file not ready is looked at again on the next poll.</li>
 * <li>Bounded: at most {@code maxFiles} files and {@code maxBytes} bytes are between read and moved at a time; the
 * consumer waits for room (this is the inbox's back-pressure on a flood of files).</li>
 * <li>Moved only after its items are committed ({@link FileIntake} sets {@link #FOLDER}), to {@code .done/} or
 * {@code .error/}; a file another instance claimed is left where it is (SPEC 9).</li>
 * </ul>
 * A Camel SPI by nature, so it deals in Camel's types.
 */
public final class InboxFiles implements GenericFileProcessStrategy<File> {

    /** Exchange property: the file's bytes, read while deciding it is ready. */
    public static final String BYTES = "GatewayInboxBytes";
    /** Exchange property: the claim key of the file (name, size, modification time). */
    public static final String KEY = "GatewayInboxKey";
    /** Exchange property set after the commit: the sub-folder the file moves to; unset leaves it in place. */
    public static final String FOLDER = "GatewayInboxFolder";
    private static final String PERMIT = "GatewayInboxPermit";

    private static final Logger LOG = LoggerFactory.getLogger(InboxFiles.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final long TAKEN_RETRY_MILLIS = 5_000;

    private record Look(long size, long modified, long firstSeen) {
    }

    private final Path inbox;
    private final long maxFileBytes;
    private final long minAgeMillis;
    private final int maxFiles;
    private final long maxBytes;
    private final InboxClaims claims;
    private final LongSupplier clock;
    private final Map<String, Look> looks = new ConcurrentHashMap<>();
    private final Map<String, Long> takenUntil = new ConcurrentHashMap<>();
    private final Object room = new Object();
    private int filesInFlight;
    private long bytesInFlight;

    public InboxFiles(Path inbox, long maxFileBytes, long minAgeMillis, int maxFiles, long maxBytes, InboxClaims claims,
                      LongSupplier clock) {
        this.inbox = inbox;
        this.maxFileBytes = maxFileBytes;
        this.minAgeMillis = minAgeMillis;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
        this.claims = claims;
        this.clock = clock;
    }

    @Override
    public void prepareOnStartup(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint) throws Exception {
        Files.createDirectories(inbox.resolve(".done"));
        Files.createDirectories(inbox.resolve(".error"));
    }

    @Override
    public boolean begin(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint, Exchange exchange,
                         GenericFile<File> file) throws Exception {
        Path path = file.getFile().toPath();
        String name = path.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException gone) {
            looks.remove(name);
            return false;
        }
        long size = attributes.size();
        long modified = attributes.lastModifiedTime().toMillis();
        String key = file.getFileName() + "|" + size + "|" + modified;
        Long until = takenUntil.get(key);
        long now = clock.getAsLong();
        if (until != null) {
            if (until > now) {
                return false;
            }
            takenUntil.remove(key);
        }
        boolean stable = stable(name, size, modified, now);
        if (size > maxFileBytes && !stable) {
            return false; // too large to judge by its content: refused once it stops changing
        }
        long weight = Math.min(size, maxFileBytes + 1);
        if (!acquire(weight)) {
            return false;
        }
        boolean ready = false;
        try {
            byte[] bytes = read(path, weight);
            ready = bytes != null && (stable || (bytes.length == size && wholeJson(bytes)));
            if (ready) {
                looks.remove(name);
                exchange.setProperty(BYTES, bytes);
                exchange.setProperty(KEY, key);
                exchange.setProperty(PERMIT, weight);
            }
            return ready;
        } finally {
            if (!ready) {
                release(weight);
            }
        }
    }

    /** Same size and time as at a look at least minAge ago, and not modified for minAge: the writer is done. */
    private boolean stable(String name, long size, long modified, long now) {
        Look look = looks.get(name);
        if (look == null || look.size() != size || look.modified() != modified) {
            if (looks.size() > 100_000) {
                looks.clear(); // names of files that went away without being read
            }
            looks.put(name, new Look(size, modified, now));
            return false;
        }
        return now - look.firstSeen() >= minAgeMillis && now - modified >= minAgeMillis;
    }

    private static byte[] read(Path path, long limit) {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes((int) limit);
        } catch (IOException e) {
            return null; // gone or not readable yet: looked at again on the next poll
        }
    }

    /** One whole JSON value and nothing after it but whitespace. */
    static boolean wholeJson(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean acquire(long weight) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        synchronized (room) {
            while (filesInFlight > 0 && (filesInFlight >= maxFiles || bytesInFlight + weight > maxBytes)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(room, left);
            }
            filesInFlight++;
            bytesInFlight += weight;
            return true;
        }
    }

    private void release(long weight) {
        synchronized (room) {
            filesInFlight--;
            bytesInFlight -= weight;
            room.notifyAll();
        }
    }

    private void done(Exchange exchange) {
        Long weight = exchange.getProperty(PERMIT, Long.class);
        if (weight != null) {
            exchange.removeProperty(PERMIT);
            exchange.removeProperty(BYTES);
            release(weight);
        }
    }

    /** Another instance holds this file's claim: leave it alone for a while (it moves it, or its claim goes stale). */
    public void taken(String key) {
        takenUntil.put(key, clock.getAsLong() + TAKEN_RETRY_MILLIS);
    }

    public int filesInFlight() {
        synchronized (room) {
            return filesInFlight;
        }
    }

    @Override
    public void abort(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint, Exchange exchange,
                      GenericFile<File> file) {
        done(exchange);
    }

    @Override
    public void commit(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint, Exchange exchange,
                       GenericFile<File> file) throws Exception {
        try {
            String folder = exchange.getProperty(FOLDER, String.class);
            if (folder != null) {
                Path from = file.getFile().toPath();
                Files.move(from, inbox.resolve(folder).resolve(from.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                String key = exchange.getProperty(KEY, String.class);
                if (key != null) {
                    claims.release(key);
                }
            }
        } finally {
            done(exchange);
        }
    }

    @Override
    public void rollback(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint, Exchange exchange,
                         GenericFile<File> file) {
        // the items were not stored: the file stays in the inbox and is read again on a later poll (SPEC 4)
        LOG.debug("inbox file {} left in place after a failure", file.getFileName());
        done(exchange);
    }
}
