package io.rzmq.pekko.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that runs over tcp:// and so must pass on both TCP modes: the default build runs it
 * on rzmq's own channels, the {@code tcp-on-pekko-io} execution of rzmq-pekko's pom runs every class
 * tagged {@value #TAG} again with {@code rzmq.tcp-io = pekko}. Selecting by tag (not by file path) keeps
 * a moved class in that run; {@code TcpTransportTagTest} fails if the tagged set shrinks.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(TcpTransportTest.TAG)
public @interface TcpTransportTest {
    String TAG = "tcp-transport";
}
