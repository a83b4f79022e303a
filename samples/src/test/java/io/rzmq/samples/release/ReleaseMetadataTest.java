package io.rzmq.samples.release;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rzmq-bom has no parent (see its pom), so nothing in Maven keeps it in step with the build: this does.
 * Every published module (a jar module of the parent that does not set rzmq.api.skip) is in the BOM at the
 * project's version, the BOM itself has that version, and the parent carries the metadata Central needs.
 */
class ReleaseMetadataTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void bomListsEveryPublishedModuleAtTheProjectVersion() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        String version = child(parent, "version").getTextContent().trim();
        List<String> published = new ArrayList<>();
        for (Element module : children(child(parent, "modules"), "module")) {
            Path pomFile = ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml");
            Element pom = pom(pomFile);
            Element packaging = child(pom, "packaging");
            Element props = child(pom, "properties");
            Element skip = props == null ? null : child(props, "rzmq.api.skip");
            boolean jar = packaging == null || packaging.getTextContent().trim().equals("jar");
            if (jar && (skip == null || !skip.getTextContent().trim().equals("true"))) {
                published.add(child(pom, "artifactId").getTextContent().trim());
            }
        }
        assertThat(published).contains("rzmq-protocol", "rzmq-pekko");

        Element bom = pom(ROOT.resolve("rzmq-bom").resolve("pom.xml"));
        assertThat(child(bom, "version").getTextContent().trim()).isEqualTo(version);
        Map<String, String> managed = new TreeMap<>();
        for (Element dep : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertThat(child(dep, "groupId").getTextContent().trim()).isEqualTo("io.rzmq");
            managed.put(child(dep, "artifactId").getTextContent().trim(), child(dep, "version").getTextContent().trim());
        }
        Map<String, String> expected = new TreeMap<>();
        published.forEach(a -> expected.put(a, version));
        assertThat(managed).isEqualTo(expected);
    }

    @Test
    void parentCarriesThePublishingMetadata() throws Exception {
        Element parent = pom(ROOT.resolve("pom.xml"));
        for (String field : List.of("url", "description", "licenses", "developers", "scm")) {
            assertThat(child(parent, field)).as(field).isNotNull();
        }
        assertThat(child(child(child(parent, "licenses"), "license"), "name").getTextContent()).isEqualTo("Apache-2.0");
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
    }

    private static Element pom(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        Document d = f.newDocumentBuilder().parse(file.toFile());
        return d.getDocumentElement();
    }

    /** The first direct child element named {@code name}, or null. */
    private static Element child(Element parent, String name) {
        List<Element> all = children(parent, name);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
