/** Small helpers every internal layer may use: the dispatcher lookup and the peer-error log. Internal. */
package io.rzmq.pekko.internal.support;
