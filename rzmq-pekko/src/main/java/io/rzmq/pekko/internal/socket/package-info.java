/**
 * One actor per socket ({@link io.rzmq.pekko.internal.socket.SocketCore}) and the routing logic per socket type
 * ({@link io.rzmq.pekko.internal.socket.SocketPattern} with its helpers: load balancer, fair queue, distributor,
 * subscription set). Internal to the runtime; applications use {@code io.rzmq.pekko.api}.
 */
package io.rzmq.pekko.internal.socket;
