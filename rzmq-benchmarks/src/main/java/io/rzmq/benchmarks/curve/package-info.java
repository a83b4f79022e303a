/** JMH benchmarks of CURVE's per-message box (seal and open of MESSAGE commands). */
package io.rzmq.benchmarks.curve;
