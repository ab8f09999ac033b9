package io.snapline.fake;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A tiny XML writer and DOM reader for the fakes' REST-XML and query-protocol bodies. */
final class Xml {

    private final StringBuilder out;
    private final java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();

    private Xml(boolean prolog) {
        out = new StringBuilder(prolog ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" : "");
    }

    /** A whole document, with the XML declaration. */
    static Xml document() {
        return new Xml(true);
    }

    /** A fragment to embed in a query-protocol result element. */
    static Xml fragment() {
        return new Xml(false);
    }

    Xml open(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml open(String name, String xmlns) {
        out.append('<').append(name).append(" xmlns=\"").append(xmlns).append("\">");
        open.push(name);
        return this;
    }

    Xml close() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text; skipped when the value is null. */
    Xml el(String name, Object value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(escape(value instanceof Instant i ? iso(i) : value.toString()))
                    .append("</").append(name).append('>');
        }
        return this;
    }

    @Override
    public String toString() {
        while (!open.isEmpty()) {
            close();
        }
        return out.toString();
    }

    static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(T\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                case '\r' -> b.append("&#13;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static Element parse(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (Exception e) {
            throw new FakeAwsError("MalformedXML", 400,
                    "The XML you provided was not well-formed or did not validate against our published schema");
        }
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    static Element child(Element parent, String localName) {
        List<Element> c = children(parent, localName);
        return c.isEmpty() ? null : c.get(0);
    }

    /** Text of the element at the path below parent, if present. */
    static Optional<String> text(Element parent, String... path) {
        Element e = parent;
        for (String p : path) {
            e = child(e, p);
            if (e == null) {
                return Optional.empty();
            }
        }
        return Optional.of(e.getTextContent());
    }

    /** Texts of all child elements of the element at the path (list members, whatever their name). */
    static List<String> texts(Element parent, String... path) {
        Element e = parent;
        for (String p : path) {
            e = child(e, p);
            if (e == null) {
                return List.of();
            }
        }
        List<String> result = new ArrayList<>();
        NodeList nodes = e.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element m) {
                result.add(m.getTextContent());
            }
        }
        return result;
    }
}
