/** The rzmq Pekko extension: contexts, sockets, sessions, engines and transports as typed actors. */
package io.rzmq.pekko;
