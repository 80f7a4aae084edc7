package dev.chatcentral.localstack.process;

/** A child for tests: {@code serve} says it is ready and waits to be stopped or killed, {@code crash} exits 3. */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("crash")) {
            System.exit(3);
        }
        System.out.println("ready " + ProcessHandle.current().pid());
        Thread.sleep(Long.MAX_VALUE);
    }
}
