package dev.chatcentral.localstack.process;

import java.util.function.Supplier;

/** How the stack starts one of its children and knows it serves; a restart does both again. */
public interface Launch {

    ChildProcess start();

    /**
     * Returns once the child serves. Throws a {@code StackException} when it is not ready in time, or at once
     * when {@code failure} reports something (a death) that makes waiting pointless.
     */
    void awaitReady(ChildProcess child, Supplier<String> failure) throws InterruptedException;
}
