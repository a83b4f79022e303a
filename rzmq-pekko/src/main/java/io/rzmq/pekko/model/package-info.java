/**
 * Values every layer uses, public and internal alike: {@link io.rzmq.pekko.model.SocketOptions},
 * {@link io.rzmq.pekko.model.RzmqException}, {@link io.rzmq.pekko.model.MonitorEvent} with
 * {@link io.rzmq.pekko.model.MonitorEventKind}, {@link io.rzmq.pekko.model.Endpoint}. Imports nothing else
 * from rzmq-pekko (checked by the architecture test).
 */
package io.rzmq.pekko.model;
