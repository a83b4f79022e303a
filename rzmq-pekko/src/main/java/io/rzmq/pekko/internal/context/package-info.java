/** The context actor: parent of its sockets' actors and the inproc registry. Internal to the runtime. */
package io.rzmq.pekko.internal.context;
