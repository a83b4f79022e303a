/**
 * The transport seam on rzmq's selector loop ({@link io.rzmq.pekko.internal.transport.nio.IoLoop}): JDK
 * {@code SocketChannel}s for tcp and JDK 16+ Unix-domain channels for ipc paths, served by the same loops;
 * {@link io.rzmq.pekko.internal.transport.loop.IoLoops} holds the loops and registers each as a Pekko
 * dispatcher.
 */
package io.rzmq.pekko.internal.transport.loop;
