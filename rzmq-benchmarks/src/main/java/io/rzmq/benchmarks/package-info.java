/**
 * JMH microbenchmarks of rzmq's internals. One subpackage per area ({@code subscription}, {@code codec},
 * {@code curve}; pipe benchmarks go beside them), each benchmark class named {@code *Benchmark} so that a regex such
 * as {@code Subscription} selects an area: {@code java -jar rzmq-benchmarks/target/benchmarks.jar
 * Subscription -prof gc}.
 */
package io.rzmq.benchmarks;
