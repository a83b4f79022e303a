/**
 * The Java API: {@link io.rzmq.pekko.api.ZContext} and {@link io.rzmq.pekko.api.ZSocket}, with
 * CompletionStage results, safe from any thread.
 */
package io.rzmq.pekko.api;
