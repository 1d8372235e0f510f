package com.buttonsgateway.store;

import java.sql.Connection;
import java.sql.SQLException;
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
 * Writes outcomes in batches (issue 7): work handed in from many threads runs on one writer thread, many pieces per
 * transaction, so a burst of finished calls costs a few commits instead of one each. Each piece's future completes
 * once its transaction committed. A batch that fails is retried piece by piece, so one bad piece fails alone.
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
    private volatile boolean running = true;
    private long transactions;
    private long pieces;
    private long busyNanos;

    public GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
        this.writer = new Thread(this::loop, "store-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    public <T> CompletableFuture<T> submit(Work<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("the store writer is stopped"));
            return done;
        }
        queue.add(new Piece<>(work, done));
        return done;
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
                write(batch);
                busyNanos += System.nanoTime() - t0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("store writer failed a batch of {}", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
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
