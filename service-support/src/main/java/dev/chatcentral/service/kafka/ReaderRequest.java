package dev.chatcentral.service.kafka;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What the owner of an {@link AssignedReader} asks of its thread; applied there in the order asked. */
sealed interface ReaderRequest {

    /** The reader stopped before it applied the request. */
    void fail(Throwable cause);

    record Assign(int partition, CompletableFuture<Long> positioned) implements ReaderRequest {
        @Override
        public void fail(Throwable cause) {
            positioned.completeExceptionally(cause);
        }
    }

    record Release(int partition) implements ReaderRequest {
        @Override
        public void fail(Throwable cause) {
            // nothing waits for a release
        }
    }

    record CatchUp(Set<Integer> partitions, CompletableFuture<Void> caughtUp) implements ReaderRequest {
        @Override
        public void fail(Throwable cause) {
            caughtUp.completeExceptionally(cause);
        }
    }
}
