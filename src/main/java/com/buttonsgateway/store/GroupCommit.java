package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes outcomes in batches (DESIGN: the intake keeps up with the dispatcher): work handed in from many threads runs on one writer thread, many pieces per
 * transaction, so a burst of finished calls costs a few commits instead of one each. Each piece's future completes
 * once its transaction committed. A batch that fails is retried piece by piece, so one bad piece fails alone.
 *
 * <p>An {@code Error} inside a piece (out of memory, a stack overflow) stops the writer for good: nothing it held
 * can be trusted. Then every piece waiting completes exceptionally, later submits fail at once, and {@link #problem()}
 * says so, which turns the {@code store} health check DOWN (SPEC 9). A wait on the writer ({@link #await}) gives up
 * after the writer's patience (30 s) with a StoreException naming it, and a transaction running longer than that is
 * reported as a problem too.
 */
public final class GroupCommit implements AutoCloseable {

    /** One piece of work inside the writer's transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private record Piece<T>(Work<T> work, CompletableFuture<T> done) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 500;

    private final DataSource dataSource;
    private final BlockingQueue<Piece<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Duration patience;
    private volatile boolean running = true;
    /** Why the writer died, or null while it lives. */
    private volatile Throwable death;
    /** System.nanoTime() when the running transaction started; 0 between transactions. */
    private volatile long busySince;
    private long transactions;
    private long pieces;
    private long busyNanos;

    public GroupCommit(DataSource dataSource) {
        this(dataSource, Duration.ofSeconds(30));
    }

    /** {@code patience}: how long a caller waits for its piece, and how long one transaction may run before it is a problem. */
    public GroupCommit(DataSource dataSource, Duration patience) {
        this.dataSource = dataSource;
        this.patience = patience;
        this.writer = new Thread(this::loop, "store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public <T> CompletableFuture<T> submit(Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!running || death != null) {
            done.completeExceptionally(stopped());
            return done;
        }
        queue.add(new Piece<>(work, done));
        if (death != null) {
            // it died while this was being added: nobody else will fail what is left
            failQueued();
        }
        return done;
    }

    /** Waits for a piece's result, at most the writer's patience; a failure or a timeout is a StoreException. */
    public <T> T await(CompletableFuture<T> done, String what) {
        try {
            return done.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StoreException("could not " + what + (cause instanceof StoreException ? ": " + cause.getMessage() : ""), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StoreException("could not " + what + ": the store writer did not answer within " + words(patience) + " (timeout)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("could not " + what + ": interrupted while waiting for the store writer", e);
        }
    }

    /** Null while the writer works; otherwise what is wrong with it, in words (the store health check shows it). */
    public String problem() {
        Throwable dead = death;
        if (dead != null) {
            return "the store writer died: " + dead;
        }
        if (!writer.isAlive()) {
            return running ? "the store writer thread is not running" : "the store writer is stopped";
        }
        long since = busySince;
        if (since != 0 && System.nanoTime() - since > patience.toNanos()) {
            return "the store writer has been inside one transaction for " + words(Duration.ofNanos(System.nanoTime() - since))
                    + " (more than " + words(patience) + ")";
        }
        return null;
    }

    private static String words(Duration d) {
        return d.toMillis() >= 10_000 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private RuntimeException stopped() {
        Throwable dead = death;
        return dead != null ? new StoreException("the store writer died: " + dead, dead)
                : new IllegalStateException("the store writer is stopped");
    }

    private void failQueued() {
        List<Piece<?>> left = new ArrayList<>();
        queue.drainTo(left);
        RuntimeException error = stopped();
        left.forEach(p -> p.done().completeExceptionally(error));
    }

    private void loop() {
        List<Piece<?>> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Piece<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // no waiting for more: what queued while the last transaction ran goes in this one, so batches grow
                // with the load by themselves and a lone outcome (and the call slot it holds) is never kept waiting
                queue.drainTo(batch, MAX_BATCH - 1);
                transactions++;
                pieces += batch.size();
                long t0 = System.nanoTime();
                busySince = t0;
                write(batch);
                busyNanos += System.nanoTime() - t0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                death = e;
                failAll(batch);
                return;
            } catch (RuntimeException e) {
                LOG.error("store writer failed a batch of {}", batch.size(), e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } catch (Error e) {
                death = e;
                LOG.error("store writer died: the store takes no more writes until the gateway is restarted", e);
                failAll(batch);
                return;
            } finally {
                busySince = 0;
                batch.clear();
            }
        }
    }

    private void failAll(List<Piece<?>> batch) {
        RuntimeException error = stopped();
        batch.forEach(p -> p.done().completeExceptionally(error));
        failQueued();
    }

    private void write(List<Piece<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Piece<?> piece : batch) {
                    results.add(piece.work().run(c));
                }
                c.commit();
            } catch (Error e) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (batch.size() == 1) {
                    batch.get(0).done().completeExceptionally(e);
                    return;
                }
                for (Piece<?> piece : batch) {
                    write(List.of(piece));
                }
                return;
            }
        } catch (SQLException e) {
            for (Piece<?> piece : batch) {
                piece.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Piece<T> piece, Object result) {
        piece.done().complete((T) result);
    }

    /** Finishes what was handed in, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("store writer stopped: {} pieces of work in {} transactions, {} ms busy", pieces, transactions, busyNanos / 1_000_000);
    }
}
