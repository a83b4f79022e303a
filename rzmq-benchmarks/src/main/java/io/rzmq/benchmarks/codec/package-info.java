/** JMH benchmarks of rzmq-protocol's frame codec: today's array paths against the v2 loop's buffer paths. */
package io.rzmq.benchmarks.codec;
