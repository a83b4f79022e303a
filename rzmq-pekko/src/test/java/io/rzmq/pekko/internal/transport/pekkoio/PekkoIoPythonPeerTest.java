package io.rzmq.pekko.internal.transport.pekkoio;

import io.rzmq.pekko.internal.transport.PythonPeerContract;
import io.rzmq.pekko.internal.transport.StreamTransportContract;

/** The python3 raw-bytes peer against the Pekko IO transport, both directions (tcp only). */
class PekkoIoPythonPeerTest extends PythonPeerContract {
    @Override
    protected StreamTransportContract.Fixture open(int loops, String name) {
        return new PekkoIoFixture(loops, name);
    }

    @Override
    protected boolean servesIpc() {
        return false;
    }
}
