package dev.clothes.lambda.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CloudFormation/SAM template read as plain data, short-form intrinsics ({@code !Ref x}) turned into
 * their long form ({@code {Ref: x}}), so checks see what CloudFormation sees. The tree is unmodifiable.
 */
public record CfnTemplate(String name, Map<String, Object> tree) {

    private static final List<String> FUNCTIONS = List.of("Sub", "GetAtt", "Join", "If", "Equals", "Select",
            "FindInMap", "Not", "And", "Or", "Split", "ImportValue", "Base64", "GetAZs", "Cidr");

    public CfnTemplate {
        tree = freeze(tree);
    }

    /** Parses {@code text}; a YAML error becomes an IllegalArgumentException naming the file and the line. */
    public static CfnTemplate parse(String name, String text) {
        LoaderOptions options = new LoaderOptions();
        // CloudFormation rejects duplicate keys; SnakeYAML would silently keep the last one.
        options.setAllowDuplicateKeys(false);
        Object root;
        try {
            root = new Yaml(new CfnConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(name + " is not valid YAML, so sam deploy and CloudFormation "
                    + "would reject it before creating anything: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(name + " must be a YAML mapping (a template), got: " + root);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = (Map<String, Object>) map;
        return new CfnTemplate(name, tree);
    }

    /** The mapping at {@code path} (e.g. "Resources", "ClassifierFunction"), failing with the path if absent. */
    public Map<String, Object> map(String... path) {
        Object node = tree;
        StringBuilder at = new StringBuilder();
        for (String key : path) {
            at.append('/').append(key);
            if (!(node instanceof Map<?, ?> map) || !(map.get(key) instanceof Map<?, ?> next)) {
                throw new IllegalArgumentException(name + " has no mapping at " + at);
            }
            node = next;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) node;
        return result;
    }

    /** The logical id of the only resource of {@code type}. */
    public String onlyResource(String type) {
        List<String> ids = map("Resources").entrySet().stream()
                .filter(e -> e.getValue() instanceof Map<?, ?> r && type.equals(r.get("Type")))
                .map(Map.Entry::getKey).toList();
        if (ids.size() != 1) {
            throw new IllegalArgumentException(name + " should hold one " + type + ", found " + ids);
        }
        return ids.get(0);
    }

    private static Map<String, Object> freeze(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), freezeValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object freezeValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return freeze(m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(freezeValue(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** SafeConstructor plus CloudFormation's short tags; any other tag still fails. */
    private static final class CfnConstructor extends SafeConstructor {

        CfnConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Resource.Attribute is the scalar form of [Resource, Attribute].
                    int dot = text.indexOf('.');
                    value = key.equals("Fn::GetAtt") && dot > 0
                            ? List.of(text.substring(0, dot), text.substring(dot + 1)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(key, value);
                return longForm;
            }
        }
    }
}
