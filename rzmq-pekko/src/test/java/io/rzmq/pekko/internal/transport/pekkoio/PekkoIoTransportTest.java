package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.StreamListener;
import io.rzmq.pekko.internal.transport.StreamTransportContract;

import java.util.concurrent.TimeUnit;

import static io.rzmq.pekko.internal.transport.StreamProbe.DEADLINE;

/**
 * The seam's contract on Pekko IO. Skipped: ipc (Pekko IO has no Unix-domain sockets), and accept() failing
 * (Pekko IO logs it and retries; the loop's AcceptFailureTest has no counterpart here).
 */
class PekkoIoTransportTest extends StreamTransportContract {
    @Override
    protected Fixture open(int loops, String name) {
        return new PekkoIoFixture(loops, name);
    }

    @Override
    protected boolean servesIpc() {
        return false;
    }

    @Override
    protected void awaitListenerCommands(StreamListener l) throws Exception {
        // Our actor has told Pekko IO's listener; that one handles its mailbox in order, so a connection made
        // after this returns meets the command.
        ((PekkoIoListener) l).commandsDone().toCompletableFuture().get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
}
