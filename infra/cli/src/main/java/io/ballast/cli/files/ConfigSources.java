package io.ballast.cli.files;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ballast.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code -f FILE|DIR}: one YAML or JSON file, or every {@code *.yaml}, {@code *.yml} and
 * {@code *.json} directly in a directory (in name order; YAML files may hold several {@code ---}
 * documents). Top-level lists ({@code pools}, {@code routes} …) are concatenated; an item whose
 * {@code name} appears twice in a list is an error naming both places, and so is a top-level
 * setting given by two files. Nothing is validated beyond that: the control plane does it.
 */
public final class ConfigSources {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private ConfigSources() {
    }

    public static MergedConfig read(Path fileOrDir) {
        return merge(files(fileOrDir));
    }

    static List<Path> files(Path fileOrDir) {
        if (Files.isRegularFile(fileOrDir)) {
            return List.of(fileOrDir);
        }
        if (!Files.isDirectory(fileOrDir)) {
            throw new CliException(fileOrDir + ": no such file or directory");
        }
        try (Stream<Path> list = Files.list(fileOrDir)) {
            List<Path> files = list.filter(Files::isRegularFile).filter(ConfigSources::isConfigFile).sorted().toList();
            if (files.isEmpty()) {
                throw new CliException(fileOrDir + " holds no *.yaml, *.yml or *.json file");
            }
            return files;
        } catch (IOException e) {
            throw new CliException("cannot list " + fileOrDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isConfigFile(Path p) {
        String name = p.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    /** Merges the documents of {@code files} in order. */
    public static MergedConfig merge(List<Path> files) {
        ObjectNode merged = JSON.createObjectNode();
        Map<String, List<MergedConfig.Origin>> origins = new LinkedHashMap<>();
        Map<String, Path> scalarOwner = new HashMap<>();
        Map<String, Map<String, Path>> names = new HashMap<>();
        for (Path file : files) {
            for (JsonNode doc : documents(file)) {
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new CliException(file + ": expected a mapping with 'pools' and 'routes' at the top, found " + doc.getNodeType().name().toLowerCase());
                }
                Iterator<Map.Entry<String, JsonNode>> fields = doc.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String key = field.getKey();
                    JsonNode value = field.getValue();
                    if (value.isArray()) {
                        ArrayNode target = merged.has(key) && merged.get(key).isArray() ? (ArrayNode) merged.get(key) : merged.putArray(key);
                        List<MergedConfig.Origin> list = origins.computeIfAbsent(key, k -> new ArrayList<>());
                        Map<String, Path> seen = names.computeIfAbsent(key, k -> new HashMap<>());
                        for (int i = 0; i < value.size(); i++) {
                            JsonNode item = value.get(i);
                            String name = item.path("name").isTextual() ? item.path("name").asText() : null;
                            if (name != null) {
                                Path earlier = seen.putIfAbsent(name, file);
                                if (earlier != null) {
                                    throw new CliException(singular(key) + " \"" + name + "\" is defined twice: "
                                            + (earlier.equals(file) ? "both in " + file : "in " + earlier + " and in " + file));
                                }
                            }
                            target.add(item);
                            list.add(new MergedConfig.Origin(file, i));
                        }
                    } else {
                        Path earlier = scalarOwner.putIfAbsent(key, file);
                        if (earlier != null) {
                            throw new CliException("'" + key + "' is set twice: in " + earlier + " and in " + file);
                        }
                        merged.set(key, value);
                    }
                }
            }
        }
        return new MergedConfig(merged, files, origins);
    }

    private static List<JsonNode> documents(Path file) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".json")) {
                return List.of(JSON.readTree(file.toFile()));
            }
            List<JsonNode> docs = new ArrayList<>();
            try (JsonParser parser = YAML.createParser(file.toFile());
                 MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
                while (it.hasNextValue()) {
                    docs.add(it.nextValue());
                }
            }
            return docs;
        } catch (JsonProcessingException e) {
            throw new CliException(file + ": " + parseError(e), e);
        } catch (IOException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                throw new CliException(file + ": " + parseError(j), e);
            }
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static final java.util.regex.Pattern MARK = java.util.regex.Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * {@code line 2, column 3: while parsing a flow node; expected the node content, but found '-'}: the
     * YAML parser's own problem position when it has one (where the error is, not where the node began),
     * without its excerpt of the file.
     */
    static String parseError(JsonProcessingException e) {
        String text = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        String line = null;
        String column = null;
        java.util.regex.Matcher m = MARK.matcher(text);
        while (m.find()) {
            line = m.group(1);
            column = m.group(2);
        }
        if (line == null && e.getLocation() != null) {
            line = Integer.toString(e.getLocation().getLineNr());
            column = Integer.toString(e.getLocation().getColumnNr());
        }
        List<String> parts = new ArrayList<>();
        for (String l : text.split("\\R")) {
            String t = l.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("at [Source") || t.chars().allMatch(c -> c == '^' || c == ' ')
                    || l.startsWith("    ")) {
                continue;
            }
            parts.add(t.replaceAll(",?\\s*at \\[Source.*$", ""));
        }
        return (line == null ? "" : "line " + line + ", column " + column + ": ") + String.join("; ", parts);
    }

    private static String singular(String key) {
        return key.endsWith("s") ? key.substring(0, key.length() - 1) : key;
    }
}
