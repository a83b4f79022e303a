/**
 * ZPL, the ZeroMQ Property Language (ZeroMQ RFC 4): the indented {@code name = value} text format of
 * CZMQ configuration files and CURVE certificates. Pure text in, tree out; no file I/O here.
 */
package io.rzmq.protocol.zpl;
