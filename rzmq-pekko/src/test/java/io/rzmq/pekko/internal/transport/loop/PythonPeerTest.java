package io.rzmq.pekko.internal.transport.loop;

import io.rzmq.pekko.internal.transport.PythonPeerContract;
import io.rzmq.pekko.internal.transport.StreamTransportContract;

/** The python3 raw-bytes peer against the selector transport, tcp and ipc. */
class PythonPeerTest extends PythonPeerContract {
    @Override
    protected StreamTransportContract.Fixture open(int loops, String name) {
        return LoopTransportTest.loopFixture(loops, name);
    }

    @Override
    protected boolean servesIpc() {
        return true;
    }
}
