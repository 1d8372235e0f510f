package com.buttonsgateway.intake.file;

import com.buttonsgateway.intake.AcceptResult;

import com.buttonsgateway.intake.Intake;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import com.buttonsgateway.store.InboxClaims;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The file intake's step (SPEC 4.1), called from {@code routes/intake-file.camel.yaml}: hands a file read by
 * {@link InboxFiles} to the intake and lets the consumer go on to the next file at once; the exchange goes on (and
 * the file is moved) after the store committed its items, in a transaction shared with other files. An
 * {@link AsyncProcessor} by nature: that is what lets many files be in flight without a thread each.
 */
public final class FileIntake extends AsyncProcessorSupport {

    private final Intake intake;
    private final InboxFiles inbox;
    private final InboxClaims claims;
    private final Executor after;

    public FileIntake(Intake intake, InboxFiles inbox, InboxClaims claims, Executor after) {
        this.intake = intake;
        this.inbox = inbox;
        this.claims = claims;
        this.after = after;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean process(Exchange exchange, AsyncCallback callback) {
        GenericFile<File> file = exchange.getProperty(ExchangePropertyKey.FILE_EXCHANGE_FILE, GenericFile.class);
        byte[] bytes = exchange.getProperty(InboxFiles.BYTES, byte[].class);
        String key = exchange.getProperty(InboxFiles.KEY, String.class);
        if (file == null || bytes == null) {
            exchange.setException(new IllegalStateException("intake-file needs the inboxFiles processStrategy on its file endpoint"));
            callback.done(true);
            return true;
        }
        String name = file.getFileName();
        CompletableFuture<AcceptResult> stored;
        try {
            stored = intake.acceptAsync(bytes, "file:" + name, baseName(file.getFileNameOnly()), claims.claim(key));
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        stored.whenCompleteAsync((result, failure) -> {
            try {
                if (failure != null) {
                    exchange.setException(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                } else if (result == null) {
                    inbox.taken(key); // another instance's: it moves the file
                } else if (!Files.exists(file.getFile().toPath())) {
                    claims.release(key); // moved by the instance that had it just before us: its items are not ours to report
                } else {
                    intake.writeDuplicates(result);
                    exchange.getMessage().setHeader(Intake.RESULT, result);
                    exchange.getMessage().setBody(null);
                    exchange.setProperty(InboxFiles.FOLDER, result.inboxFolder());
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
            callback.done(false);
        }, after);
        return false;
    }

    /** {@code orders.json} -> {@code orders}: what derived ids and report names are built from (SPEC 3, 4.1). */
    static String baseName(String onlyName) {
        int dot = onlyName.lastIndexOf('.');
        return dot > 0 ? onlyName.substring(0, dot) : onlyName;
    }
}
