package io.rzmq.protocol.zpl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ZPL property: a name, an optional value and child properties, in file order (names may repeat,
 * as {@code bind} does in RFC 4's example). Immutable; {@code with...} returns a changed copy.
 *
 * <p>{@code value} is null for a bare name ({@code metadata}) and a string, possibly empty, for
 * {@code name = value}. The tree's root is a nameless node whose children are the top-level properties.
 */
public record ZplNode(String name, String value, List<ZplNode> children) {

    public ZplNode {
        Objects.requireNonNull(name, "name");
        children = List.copyOf(children);
    }

    /** A tree root holding {@code children}. */
    public static ZplNode root(List<ZplNode> children) {
        return new ZplNode("", null, children);
    }

    /** A section: a name with children and no value. */
    public static ZplNode section(String name, List<ZplNode> children) {
        return new ZplNode(name, null, children);
    }

    /** A leaf property {@code name = value}. */
    public static ZplNode property(String name, String value) {
        return new ZplNode(name, Objects.requireNonNull(value, "value"), List.of());
    }

    /** The first child called {@code name}. */
    public Optional<ZplNode> child(String name) {
        for (ZplNode c : children) {
            if (c.name.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The node at {@code path}, names separated by '/', each step taking the first child of that name
     * ({@code "curve/public-key"}); a leading '/' is allowed.
     */
    public Optional<ZplNode> at(String path) {
        ZplNode node = this;
        for (String step : path.split("/")) {
            if (step.isEmpty()) {
                continue;
            }
            Optional<ZplNode> next = node.child(step);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            node = next.get();
        }
        return Optional.of(node);
    }

    /** The value at {@code path}, if that node exists and has a value. */
    public Optional<String> valueAt(String path) {
        return at(path).map(ZplNode::value);
    }

    /** This node with {@code child} appended. */
    public ZplNode withChild(ZplNode child) {
        List<ZplNode> list = new ArrayList<>(children);
        list.add(Objects.requireNonNull(child, "child"));
        return new ZplNode(name, value, list);
    }

    @Override
    public String toString() {
        return "ZplNode{" + name + (value == null ? "" : " = <" + value.length() + " chars>")
            + (children.isEmpty() ? "" : ", " + children.size() + " children") + "}";
    }
}
