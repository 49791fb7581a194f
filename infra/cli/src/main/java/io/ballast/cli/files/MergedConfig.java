package io.ballast.cli.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One declarative document made of one or more files, and where each list item came from, so that
 * an error about {@code pools[3].backends[0].port} in the merged document can be shown as
 * {@code b.yaml: pools[1].backends[0].port}.
 *
 * @param origins per top-level list (e.g. {@code pools}), the file and index of each merged item
 */
public record MergedConfig(ObjectNode document, List<Path> files, Map<String, List<Origin>> origins) {
    private static final Pattern ITEM = Pattern.compile("^([A-Za-z0-9_]+)\\[(\\d+)](.*)$");

    /** Where one item of a merged list was written. */
    public record Origin(Path file, int index) {
    }

    public MergedConfig {
        files = List.copyOf(files);
        origins = Map.copyOf(origins);
    }

    /** A field path of the merged document rewritten to point into the file it came from. */
    public String locate(String field) {
        Matcher m = ITEM.matcher(field);
        if (m.matches()) {
            List<Origin> list = origins.get(m.group(1));
            int i = Integer.parseInt(m.group(2));
            if (list != null && i < list.size()) {
                Origin o = list.get(i);
                return o.file() + ": " + m.group(1) + "[" + o.index() + "]" + m.group(3);
            }
        }
        return files.size() == 1 ? files.get(0) + ": " + field : field;
    }

    /** For a diff header: the file, or the directory with its file count. */
    public String describe(Path given) {
        return files.size() == 1 ? files.get(0).toString() : given + " (" + files.size() + " files)";
    }
}
