package io.rzmq.protocol.zpl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ZPL (RFC 4) parsing and writing, including the tricky corners of the grammar. */
class ZplTest {

    @Test
    void parsesTheRfcExample() {
        String text = """
            #   ZPL configuration file example
            #   This format is designed to be trivial to write and parse
            #
            context
                iothreads = 1
                verbose = 1      #   Ask for a trace

            main
                type = zmq_queue
                frontend
                    option
                        hwm = 1000
                        swap = 25000000
                        subscribe = "#2"
                    bind = tcp://eth0:5555
                backend
                    bind = tcp://eth0:5556
            """;
        ZplNode root = Zpl.parse(text);
        assertThat(root.children()).extracting(ZplNode::name).containsExactly("context", "main");
        assertThat(root.valueAt("context/iothreads")).contains("1");
        assertThat(root.valueAt("context/verbose")).contains("1");
        assertThat(root.valueAt("/main/frontend/option/subscribe")).contains("#2");
        assertThat(root.valueAt("main/frontend/option/hwm")).contains("1000");
        assertThat(root.valueAt("main/frontend/bind")).contains("tcp://eth0:5555");
        assertThat(root.valueAt("main/backend/bind")).contains("tcp://eth0:5556");
        assertThat(root.at("main/frontend").orElseThrow().children()).extracting(ZplNode::name)
            .containsExactly("option", "bind");
        assertThat(root.at("main").orElseThrow().value()).isNull();
        assertThat(root.at("main/nothing")).isEmpty();
    }

    @Test
    void quotingRules() {
        ZplNode root = Zpl.parse(String.join("\n",
            "a = \"with # hash and = sign\"",
            "b = 'single \"inner\" quotes'   # trailing comment",
            "c = \"  edge spaces  \"",
            "d = \"unterminated value",
            "e = \"closed\" but more",
            "f = plain value with spaces   ",
            "g = plain#comment",
            "h =",
            "i",
            "j = ''",
            "k=tight"));
        assertThat(root.valueAt("a")).contains("with # hash and = sign");
        assertThat(root.valueAt("b")).contains("single \"inner\" quotes");
        assertThat(root.valueAt("c")).contains("  edge spaces  ");
        // A value that starts with a quote but does not end with the matching one is taken as it is.
        assertThat(root.valueAt("d")).contains("\"unterminated value");
        assertThat(root.valueAt("e")).contains("\"closed\" but more");
        assertThat(root.valueAt("f")).contains("plain value with spaces");
        assertThat(root.valueAt("g")).contains("plain");
        assertThat(root.valueAt("h")).contains("");
        assertThat(root.at("i").orElseThrow().value()).isNull();
        assertThat(root.valueAt("j")).contains("");
        assertThat(root.valueAt("k")).contains("tight");
    }

    @Test
    void everyLineEndingAndIndentedComments() {
        ZplNode root = Zpl.parse("top\r\n    # an indented comment\r    x = 1\n        # deeper comment\n\n   \t\n    y = 2\r\n");
        assertThat(root.at("top").orElseThrow().children()).extracting(ZplNode::name).containsExactly("x", "y");
        assertThat(root.valueAt("top/y")).contains("2");
    }

    @Test
    void aLeadingByteOrderMarkIsSkipped() {
        assertThat(Zpl.parse("\uFEFFcurve\n    public-key = \"k\"\n").valueAt("curve/public-key")).contains("k");
    }

    @Test
    void namesMayUseTheRfcPunctuationAndRepeat() {
        ZplNode root = Zpl.parse("$a-b_c@d.e&f+g/h = 1\nbind = x\nbind = y\n");
        assertThat(root.valueAt("$a-b_c@d.e&f+g")).isEmpty(); // '/' in a name is not a path step...
        assertThat(root.children().get(0).name()).isEqualTo("$a-b_c@d.e&f+g/h"); // ...but is kept in the name
        assertThat(root.children()).filteredOn(c -> c.name().equals("bind")).extracting(ZplNode::value)
            .containsExactly("x", "y");
    }

    @Test
    void refusesBrokenText() {
        assertThatThrownBy(() -> Zpl.parse("a\n  b = 1\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("line 2").hasMessageContaining("multiples of 4");
        assertThatThrownBy(() -> Zpl.parse("a\n        b = 1\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("line 2");
        assertThatThrownBy(() -> Zpl.parse("    a = 1\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("line 1");
        assertThatThrownBy(() -> Zpl.parse("a\n\tb = 1\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("tabs");
        assertThatThrownBy(() -> Zpl.parse("a b\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("after name 'a'");
        assertThatThrownBy(() -> Zpl.parse("= 1\n")).isInstanceOf(ZplException.class)
            .hasMessageContaining("expected a name");
        assertThatThrownBy(() -> Zpl.parse("/a = 1\n")).isInstanceOf(ZplException.class);
        assertThatThrownBy(() -> Zpl.parse("a:b = 1\n")).isInstanceOf(ZplException.class);
        assertThat(assertThrows(() -> Zpl.parse("ok = 1\nalso = 2\n  bad\n")).line()).isEqualTo(3);
    }

    @Test
    void writesCzmqStyleAndReadsItBack() {
        ZplNode tree = ZplNode.root(List.of(
            ZplNode.section("metadata", List.of(
                ZplNode.property("name", "Ada \"the first\""),
                ZplNode.property("note", "# not a comment = ok"),
                ZplNode.property("pad", "  spaced  "),
                ZplNode.property("empty", ""))),
            ZplNode.section("curve", List.of(ZplNode.property("public-key", "abc")))));
        String text = Zpl.write(tree, List.of("   header one", "   header two"));
        assertThat(text).isEqualTo("""
            #   header one
            #   header two

            metadata
                name = 'Ada "the first"'
                note = "# not a comment = ok"
                pad = "  spaced  "
                empty = ""
            curve
                public-key = "abc"
            """);
        assertThat(Zpl.parse(text)).isEqualTo(tree);
    }

    @Test
    void refusesWhatZplCannotCarry() {
        assertThatThrownBy(() -> Zpl.write(ZplNode.root(List.of(ZplNode.property("a", "x\ny")))))
            .isInstanceOf(ZplException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> Zpl.write(ZplNode.root(List.of(ZplNode.property("a", "'\"")))))
            .isInstanceOf(ZplException.class).hasMessageContaining("both kinds of quote");
        assertThatThrownBy(() -> Zpl.write(ZplNode.root(List.of(ZplNode.property("a b", "x")))))
            .isInstanceOf(ZplException.class).hasMessageContaining("not a ZPL name");
    }

    @Test
    void toStringNeverShowsValues() {
        assertThat(ZplNode.property("secret-key", "TOPSECRET").toString()).doesNotContain("TOPSECRET");
    }

    private static ZplException assertThrows(Runnable r) {
        try {
            r.run();
        } catch (ZplException e) {
            return e;
        }
        throw new AssertionError("expected a ZplException");
    }
}
